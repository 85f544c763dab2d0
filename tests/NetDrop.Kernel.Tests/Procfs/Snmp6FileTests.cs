using NetDrop.Kernel.Procfs;
using NetDrop.Kernel.Tests.TestSupport;

namespace NetDrop.Kernel.Tests.Procfs;

public class Snmp6FileTests
{
    // The real file's format, at lines whose value no other line of the capture has (70 of its 90 lines are 0, so
    // a row of 0 could not tell the right line from a neighbour). SentinelFixtureTests maps every line, UDP drops included.
    [Theory]
    [InlineData("Ip6InOctets", 128)]
    [InlineData("Ip6OutOctets", 880)]
    [InlineData("Ip6OutMcastOctets", 672)]
    [InlineData("Icmp6OutMsgs", 9)]
    public void Parse_CapturedSnmp6_ReadsTheNamedLine(string name, ulong expected)
    {
        string path = Fixtures.KernelFile(Fixtures.CapturedKernel, "proc/net/snmp6");
        var file = new Snmp6File(path);
        int handle = file.Register(name);

        Assert.True(file.TryRead(out _));

        Assert.True(file.TryGetValue(handle, out ulong value));
        Assert.Equal(expected, value);
        Assert.Equal(ProcNetOracle.Snmp6Value(path, name), value);
    }

    [Fact]
    public void Parse_NameMissing_ReportsAbsent()
    {
        var file = new Snmp6File("/nonexistent");
        int handle = file.Register("Udp6MemErrors"); // added in 4.x; absent on older kernels

        file.Parse("Udp6RcvbufErrors                \t4\n"u8);

        Assert.False(file.TryGetValue(handle, out _));
    }

    [Fact]
    public void Parse_LinesReordered_ResolvesByName()
    {
        var file = new Snmp6File("/nonexistent");
        int rcvbuf = file.Register("Udp6RcvbufErrors");
        file.Parse("Udp6RcvbufErrors \t4\nUdp6SndbufErrors \t5\n"u8);

        file.Parse("Udp6SndbufErrors \t7\nUdp6RcvbufErrors \t8\n"u8);

        Assert.True(file.TryGetValue(rcvbuf, out ulong value));
        Assert.Equal(8UL, value);
    }

    [Fact]
    public void TryRead_IPv6Disabled_ReturnsEnoent()
    {
        // With ipv6.disable=1 the file does not exist; the MIB source treats that as "no IPv6 drops possible".
        var file = new Snmp6File("/proc/net/snmp6-absent");

        Assert.False(file.TryRead(out int errno));
        Assert.Equal(Interop.Errno.ENOENT, errno);
    }

    [Fact]
    public void Parse_SteadyState_AllocatesNothing()
    {
        byte[] content = File.ReadAllBytes(Fixtures.KernelFile(Fixtures.CapturedKernel, "proc/net/snmp6"));
        var file = new Snmp6File("/nonexistent");
        file.Register("Udp6RcvbufErrors");
        file.Register("Udp6SndbufErrors");
        Assert.Equal(0, Allocations.PerCalls(() => file.Parse(content)));
    }
}
