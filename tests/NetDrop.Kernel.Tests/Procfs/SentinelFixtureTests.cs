using NetDrop.Kernel.Procfs;
using NetDrop.Kernel.Tests.TestSupport;

namespace NetDrop.Kernel.Tests.Procfs;

/// <summary>
/// The MIB parsers over the sentinel fixture (Fixtures/synthetic/sentinel/FIXTURE.md): this kernel's real headers,
/// every value distinct and non-zero, so a field read from a neighbouring column, another group or another file reads
/// a visibly wrong number. The expected values are written here, from the fixture's encoding, not read back through
/// any parser.
/// </summary>
public class SentinelFixtureTests
{
    private static readonly string s_procNet = Path.Join(Fixtures.Root, "synthetic", "sentinel", "t0", "proc", "net");

    [Theory]
    [InlineData("PruneCalled", 1001005)]
    [InlineData("RcvPruned", 1001006)]
    [InlineData("OfoPruned", 1001007)]
    [InlineData("ListenOverflows", 1001023)]
    [InlineData("ListenDrops", 1001024)]
    [InlineData("TCPRcvCollapsed", 1001049)]
    [InlineData("TCPBacklogDrop", 1001073)]
    [InlineData("TCPReqQFullDoCookies", 1001079)]
    [InlineData("TCPReqQFullDrop", 1001080)]
    [InlineData("TCPOFODrop", 1001084)]
    [InlineData("TCPZeroWindowDrop", 1001120)]
    [InlineData("TCPRcvQDrop", 1001121)]
    public void Parse_NetstatSentinel_EachTcpExtDropFieldReadsItsOwnColumn(string name, ulong expected)
    {
        var file = new MibFile(Path.Join(s_procNet, "netstat"));
        int handle = file.Register(new MibKey("TcpExt", name));

        Assert.True(file.TryRead(out int errno), $"errno {errno}");

        Assert.True(file.TryGetValue(handle, out ulong value), name);
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("Udp", "RcvbufErrors", 2005005)]
    [InlineData("Udp", "SndbufErrors", 2005006)]
    [InlineData("Udp", "InCsumErrors", 2005007)]
    [InlineData("Udp", "MemErrors", 2005009)]
    [InlineData("UdpLite", "RcvbufErrors", 2006005)] // same names one group further: must not be confused with Udp
    [InlineData("Tcp", "MaxConn", 2004004)]
    [InlineData("Ip", "Forwarding", 2001001)]
    public void Parse_SnmpSentinel_EachFieldReadsItsOwnGroupAndColumn(string group, string name, ulong expected)
    {
        var file = new MibFile(Path.Join(s_procNet, "snmp"));
        int handle = file.Register(new MibKey(group, name));

        Assert.True(file.TryRead(out int errno), $"errno {errno}");

        Assert.True(file.TryGetValue(handle, out ulong value), $"{group}: {name}");
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("Ip6InReceives", 3000001)]
    [InlineData("Udp6InDatagrams", 3000074)]
    [InlineData("Udp6RcvbufErrors", 3000078)]
    [InlineData("Udp6SndbufErrors", 3000079)]
    [InlineData("Udp6InCsumErrors", 3000080)]
    [InlineData("Udp6MemErrors", 3000082)]
    public void Parse_Snmp6Sentinel_EachNameReadsItsOwnLine(string name, ulong expected)
    {
        var file = new Snmp6File(Path.Join(s_procNet, "snmp6"));
        int handle = file.Register(name);

        Assert.True(file.TryRead(out int errno), $"errno {errno}");

        Assert.True(file.TryGetValue(handle, out ulong value), name);
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("netstat", 1, 135 + 18 + 76)] // TcpExt, IpExt, MPTcpExt
    [InlineData("snmp", 2, 20 + 29 + 2 + 15 + 9 + 9)] // Ip, Icmp, IcmpMsg, Tcp, Udp, UdpLite
    public void Parse_MibSentinel_EveryFieldOfEveryGroupReadsItsPlace(string fileName, int filePrefix, int fieldCount)
    {
        // Full width: every name of every header line (hundreds, MPTcpExt and IcmpMsg included), registered at once,
        // each expected to read "file, group line pair, position in its header" as the fixture encodes it.
        string path = Path.Join(s_procNet, fileName);
        var file = new MibFile(path);
        var expected = new List<(string Group, string Name, int Handle, ulong Value)>();
        string[] lines = File.ReadAllLines(path);
        for (int pair = 0; pair * 2 < lines.Length; pair++)
        {
            string[] names = lines[pair * 2].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            string group = names[0].TrimEnd(':');
            for (int position = 1; position < names.Length; position++)
            {
                ulong value = (ulong)((filePrefix * 1_000_000) + ((pair + 1) * 1000) + position);
                expected.Add((group, names[position], file.Register(new MibKey(group, names[position])), value));
            }
        }

        Assert.True(file.TryRead(out int errno), $"errno {errno}");

        Assert.Equal(fieldCount, expected.Count);
        foreach ((string group, string name, int handle, ulong value) in expected)
        {
            Assert.True(file.TryGetValue(handle, out ulong actual), $"{group}: {name} absent");
            Assert.True(value == actual, $"{group}: {name} read {actual}, expected {value}");
        }
    }

    [Fact]
    public void Parse_Snmp6Sentinel_EveryLineReadsItsPlace()
    {
        string path = Path.Join(s_procNet, "snmp6");
        var file = new Snmp6File(path);
        string[] names = [.. File.ReadAllLines(path).Select(line => line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)[0])];
        int[] handles = [.. names.Select(file.Register)];

        Assert.True(file.TryRead(out int errno), $"errno {errno}");

        Assert.Equal(90, names.Length);
        for (int line = 0; line < names.Length; line++)
        {
            Assert.True(file.TryGetValue(handles[line], out ulong actual), $"{names[line]} absent");
            Assert.True((ulong)(3_000_000 + line + 1) == actual, $"{names[line]} read {actual}, expected {3_000_000 + line + 1}");
        }
    }
}
