using System.Text;
using NetDrop.Kernel.Procfs;
using NetDrop.Kernel.Tests.TestSupport;

namespace NetDrop.Kernel.Tests.Procfs;

public class MibFileTests
{
    private static readonly (string Group, string Name)[] s_dropFields =
    [
        ("TcpExt", "ListenOverflows"), ("TcpExt", "ListenDrops"), ("TcpExt", "TCPReqQFullDrop"), ("TcpExt", "RcvPruned"),
        ("TcpExt", "OfoPruned"), ("TcpExt", "TCPRcvCollapsed"), ("TcpExt", "TCPBacklogDrop"), ("TcpExt", "TCPOFODrop"),
        ("TcpExt", "PruneCalled"), ("TcpExt", "TCPReqQFullDoCookies"), ("TcpExt", "TCPZeroWindowDrop"), ("TcpExt", "TCPRcvQDrop"),
    ];

    [Fact]
    public void Parse_CapturedSnmp_ReadsUdpAndRefusesSignedMaxConn()
    {
        string path = Fixtures.KernelFile(Fixtures.CapturedKernel, "proc/net/snmp");
        var file = new MibFile(path);
        int maxConn = file.Register(new MibKey("Tcp", "MaxConn"));
        int outDatagrams = file.Register(new MibKey("Udp", "OutDatagrams"));
        int rcvbuf = file.Register(new MibKey("Udp", "RcvbufErrors"));

        Assert.True(file.TryRead(out _));

        // "Tcp: ... MaxConn -1" (dynamic) is a signed setting, not a counter: it never reads as 2^64 - 1.
        Assert.False(file.TryGetValue(maxConn, out _));
        Assert.True(file.TryGetValue(outDatagrams, out ulong datagrams));
        Assert.Equal(ProcNetOracle.MibValue(path, "Udp", "OutDatagrams"), datagrams);
        Assert.True(file.TryGetValue(rcvbuf, out _));
    }

    [Fact]
    public void Parse_SentinelValues_MapsEveryColumnByName()
    {
        // Each column holds a distinct value, so a column read by position instead of by name shows up at once.
        var file = new MibFile("/nonexistent");
        int a = file.Register(new MibKey("TcpExt", "A"));
        int c = file.Register(new MibKey("TcpExt", "C"));
        int x = file.Register(new MibKey("IpExt", "X"));

        file.Parse("TcpExt: A B C\nTcpExt: 11 22 33\nIpExt: X Y\nIpExt: 44 55\n"u8);

        Assert.True(file.TryGetValue(a, out ulong av));
        Assert.True(file.TryGetValue(c, out ulong cv));
        Assert.True(file.TryGetValue(x, out ulong xv));
        Assert.Equal((11UL, 33UL, 44UL), (av, cv, xv));
    }

    [Fact]
    public void Parse_HeaderGainsAField_ResolvesKeysAgain()
    {
        // A newer kernel inserts a field before ours (as TcpExt has grown many times): position must not matter.
        var file = new MibFile("/nonexistent");
        int overflows = file.Register(new MibKey("TcpExt", "ListenOverflows"));
        file.Parse("TcpExt: PruneCalled ListenOverflows\nTcpExt: 1 2\n"u8);
        int before = file.SchemaVersion;

        file.Parse("TcpExt: PruneCalled NewCounter ListenOverflows\nTcpExt: 1 99 3\n"u8);

        Assert.True(file.TryGetValue(overflows, out ulong value));
        Assert.Equal(3UL, value);
        Assert.Equal(before + 1, file.SchemaVersion);
    }

    [Fact]
    public void Parse_FieldMissingOnOldKernel_ReportsAbsent()
    {
        var file = new MibFile("/nonexistent");
        int rcvQDrop = file.Register(new MibKey("TcpExt", "TCPRcvQDrop"));

        file.Parse("TcpExt: ListenOverflows\nTcpExt: 5\n"u8);

        Assert.False(file.TryGetValue(rcvQDrop, out _));
        Assert.False(file.IsPresent(rcvQDrop));
    }

    [Fact]
    public void Parse_MaximumUInt64_IsKeptExactly()
    {
        var file = new MibFile("/nonexistent");
        int handle = file.Register(new MibKey("TcpExt", "ListenOverflows"));

        file.Parse("TcpExt: ListenOverflows\nTcpExt: 18446744073709551615\n"u8);

        Assert.True(file.TryGetValue(handle, out ulong value));
        Assert.Equal(ulong.MaxValue, value);
    }

    // Expected -1: the field reads as absent. The header-only and garbage rows must say so too, not pass by asserting nothing.
    [Theory]
    [InlineData("", -1, -1)]
    [InlineData("TcpExt: ListenOverflows ListenDrops\n", -1, -1)] // a header without its value line: nothing to read, never a 0
    [InlineData("TcpExt: ListenOverflows ListenDrops\nTcpExt: 7", -1, -1)] // a cut-off line may have lost digits: neither is read
    [InlineData("garbage without colon\nmore garbage\n", -1, -1)]
    public void Parse_EmptyOrTruncated_NeverThrowsAndReadsOnlyWholeLines(string content, long expectedOverflows, long expectedDrops)
    {
        var file = new MibFile("/nonexistent");
        int overflows = file.Register(new MibKey("TcpExt", "ListenOverflows"));
        int drops = file.Register(new MibKey("TcpExt", "ListenDrops"));

        file.Parse(Encoding.ASCII.GetBytes(content));

        // A 0 here would make the next good read count every drop since boot.
        Assert.Equal(expectedOverflows, file.TryGetValue(overflows, out ulong overflowsValue) ? (long)overflowsValue : -1);
        Assert.Equal(expectedDrops, file.TryGetValue(drops, out ulong dropsValue) ? (long)dropsValue : -1);
    }

    [Fact]
    public void TryRead_MissingFile_ReturnsEnoent()
    {
        var file = new MibFile("/proc/net/does-not-exist");

        Assert.False(file.TryRead(out int errno));
        Assert.Equal(Interop.Errno.ENOENT, errno);
    }

    [Fact]
    public void Parse_SteadyState_AllocatesNothing()
    {
        byte[] content = File.ReadAllBytes(Fixtures.KernelFile(Fixtures.CapturedKernel, "proc/net/netstat"));
        var file = new MibFile("/nonexistent");
        foreach ((string group, string name) in s_dropFields)
        {
            file.Register(new MibKey(group, name));
        }

        Assert.Equal(0, Allocations.PerCalls(() => file.Parse(content)));
    }
}
