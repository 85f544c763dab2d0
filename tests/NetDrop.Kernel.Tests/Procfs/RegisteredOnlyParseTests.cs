using System.Text;
using NetDrop.Kernel.Procfs;
using NetDrop.Kernel.Tests.TestSupport;

namespace NetDrop.Kernel.Tests.Procfs;

/// <summary>
/// The parsers read only the registered counters (MibFile skips groups nobody asked for, Snmp6File ends after the
/// last registered name). These are the edges where reading less could read wrong: a layout that changed before the
/// last registered name, a registered name absent until later, a line with extra or missing columns.
/// </summary>
public class RegisteredOnlyParseTests
{
    private static readonly string s_snmp6 = Fixtures.KernelFile(Fixtures.CapturedKernel, "proc/net/snmp6");
    private static readonly string s_netstat = Fixtures.KernelFile(Fixtures.CapturedKernel, "proc/net/netstat");

    [Fact]
    public void Snmp6_IcmpTypeLineAppearsBeforeTheRegisteredName_ReadsTheNameWhereItMoved()
    {
        // snmp6_seq_show_icmpv6msg prints an Icmp6InType%u line once a type is first seen: every later line moves
        // down one. The registered Udp6 line must be found by name in the new layout, not at its old position.
        string captured = File.ReadAllText(s_snmp6);
        var file = new Snmp6File("/nonexistent");
        int rcvbuf = file.Register("Udp6RcvbufErrors");
        file.Parse(Encoding.ASCII.GetBytes(captured));

        string grown = captured
            .Replace(Line("Icmp6OutType1", 1), Line("Icmp6OutType1", 1) + Line("Icmp6OutType128", 3), StringComparison.Ordinal)
            .Replace(Line("Udp6RcvbufErrors", 0), Line("Udp6RcvbufErrors", 71), StringComparison.Ordinal);
        Assert.Contains(Line("Icmp6OutType128", 3), grown, StringComparison.Ordinal);
        Assert.Contains(Line("Udp6RcvbufErrors", 71), grown, StringComparison.Ordinal);
        file.Parse(Encoding.ASCII.GetBytes(grown));

        Assert.True(file.TryGetValue(rcvbuf, out ulong value));
        Assert.Equal(71UL, value);
    }

    [Fact]
    public void Snmp6_RegisteredNameAbsentThenPrintedAfterTheOthers_IsFoundWhenItAppears()
    {
        // Icmp6OutType134 is printed only once a router advertisement went out. While it is absent the whole file is
        // compared: it can appear after every other registered name.
        string captured = File.ReadAllText(s_snmp6);
        var file = new Snmp6File("/nonexistent");
        int inDiscards = file.Register("Ip6InDiscards"); // line 7: the first registered name, far above
        int type134 = file.Register("Icmp6OutType134");
        file.Parse(Encoding.ASCII.GetBytes(captured));
        Assert.False(file.TryGetValue(type134, out _));

        string grown = captured.Replace(
            Line("Icmp6OutType135", 4), Line("Icmp6OutType134", 6) + Line("Icmp6OutType135", 4), StringComparison.Ordinal);
        Assert.Contains(Line("Icmp6OutType134", 6), grown, StringComparison.Ordinal);
        file.Parse(Encoding.ASCII.GetBytes(grown));

        Assert.True(file.TryGetValue(type134, out ulong value));
        Assert.Equal(6UL, value);
        Assert.True(file.TryGetValue(inDiscards, out ulong discards));
        Assert.Equal(ProcNetOracle.Snmp6Value(s_snmp6, "Ip6InDiscards"), discards);
    }

    [Fact]
    public void Snmp6_LinesAfterTheLastRegisteredNameCutOff_RegisteredValuesStillRead()
    {
        // A read cut in UdpLite6 (after every registered name) loses nothing anyone asked for.
        byte[] captured = File.ReadAllBytes(s_snmp6);
        int cut = Encoding.ASCII.GetString(captured).IndexOf("UdpLite6InErrors", StringComparison.Ordinal) + 5;
        var file = new Snmp6File("/nonexistent");
        int memErrors = file.Register("Udp6MemErrors");
        int outMsgs = file.Register("Icmp6OutMsgs");

        file.Parse(captured.AsSpan(0, cut));

        Assert.True(file.TryGetValue(memErrors, out ulong mem));
        Assert.True(file.TryGetValue(outMsgs, out ulong msgs));
        Assert.Equal((ProcNetOracle.Snmp6Value(s_snmp6, "Udp6MemErrors"), 9UL), (mem, msgs));
    }

    [Fact]
    public void Snmp6_CutOffInTheLastRegisteredLine_ThatValueIsInvalid()
    {
        // "Udp6MemErrors \t12" cut after "\t1": the line has no newline, its number may have lost digits.
        var file = new Snmp6File("/nonexistent");
        int rcvbuf = file.Register("Udp6RcvbufErrors");
        int mem = file.Register("Udp6MemErrors");
        file.Parse(Encoding.ASCII.GetBytes(Line("Udp6RcvbufErrors", 5) + Line("Udp6MemErrors", 12)));

        file.Parse(Encoding.ASCII.GetBytes(Line("Udp6RcvbufErrors", 5) + Line("Udp6MemErrors", 12)[..^2]));

        Assert.True(file.TryGetValue(rcvbuf, out ulong value));
        Assert.Equal(5UL, value);
        Assert.False(file.TryGetValue(mem, out _));
    }

    [Fact]
    public void Snmp6_NameRenamedBeforeTheLastRegistered_LayoutReadAgain()
    {
        // Same line count, one name different above the registered one: compared, not assumed.
        var file = new Snmp6File("/nonexistent");
        int rcvbuf = file.Register("Udp6RcvbufErrors");
        file.Parse("Udp6InErrors \t1\nUdp6RcvbufErrors \t2\n"u8);

        file.Parse("Udp6RcvbufErrors \t3\nUdp6InErrors \t4\n"u8);

        Assert.True(file.TryGetValue(rcvbuf, out ulong value));
        Assert.Equal(3UL, value);
    }

    [Fact]
    public void Mib_CapturedNetstat_RegisteredColumnsMatchTheOracle()
    {
        // Columns spread over TcpExt and IpExt, with MPTcpExt between unregistered: each is the file's own number.
        (string Group, string Name)[] keys =
        [
            ("TcpExt", "SyncookiesSent"), ("TcpExt", "ListenOverflows"), ("TcpExt", "TCPOFOQueue"),
            ("IpExt", "InNoRoutes"), ("IpExt", "InOctets"),
        ];
        var file = new MibFile(s_netstat);
        int[] handles = [.. keys.Select(key => file.Register(new MibKey(key.Group, key.Name)))];

        Assert.True(file.TryRead(out _));

        for (int i = 0; i < keys.Length; i++)
        {
            Assert.True(file.TryGetValue(handles[i], out ulong value), keys[i].Name);
            Assert.Equal(ProcNetOracle.MibValue(s_netstat, keys[i].Group, keys[i].Name), value);
        }

        Assert.Equal(563242805UL, ProcNetOracle.MibValue(s_netstat, "IpExt", "InOctets")); // a column that is not 0
    }

    [Fact]
    public void Mib_RegisteredLineHasAnExtraColumn_ItsGroupIsInvalid()
    {
        // One value more than names: the line cannot say which number is whose.
        var file = new MibFile("/nonexistent");
        int b = file.Register(new MibKey("TcpExt", "B"));
        int x = file.Register(new MibKey("IpExt", "X"));

        file.Parse("TcpExt: A B C\nTcpExt: 11 22 33 44\nIpExt: X Y\nIpExt: 55 66\n"u8);

        Assert.False(file.TryGetValue(b, out _));
        Assert.True(file.TryGetValue(x, out ulong value));
        Assert.Equal(55UL, value);
    }

    [Fact]
    public void Mib_RegisteredLineLacksTheColumnsAfterTheLastRegistered_ItsGroupIsInvalid()
    {
        // A split line: B is there, but C is missing. The count of values is still checked after the last registered.
        var file = new MibFile("/nonexistent");
        int b = file.Register(new MibKey("TcpExt", "B"));

        file.Parse("TcpExt: A B C\nTcpExt: 11 22\n"u8);

        Assert.False(file.TryGetValue(b, out _));
    }

    [Fact]
    public void Mib_UnregisteredGroupGarbled_RegisteredGroupsStillRead()
    {
        // MPTcpExt is not walked when nothing in it is registered: its garbage cannot spoil the others.
        var file = new MibFile("/nonexistent");
        int a = file.Register(new MibKey("TcpExt", "A"));
        int x = file.Register(new MibKey("IpExt", "X"));

        file.Parse("TcpExt: A\nTcpExt: 7\nMPTcpExt: M N\nMPTcpExt: 1 -2 3 x\nIpExt: X\nIpExt: 8\n"u8);

        Assert.True(file.TryGetValue(a, out ulong av));
        Assert.True(file.TryGetValue(x, out ulong xv));
        Assert.Equal((7UL, 8UL), (av, xv));
    }

    [Fact]
    public void Mib_RegisteredCounterMissing_AbsentOthersRead()
    {
        // An older kernel's TcpExt lacks TCPRcvQDrop (added in 4.19): absent, never 0, and its neighbours still read.
        var file = new MibFile("/nonexistent");
        int qdrop = file.Register(new MibKey("TcpExt", "TCPRcvQDrop"));
        int overflows = file.Register(new MibKey("TcpExt", "ListenOverflows"));

        file.Parse("TcpExt: ListenOverflows ListenDrops\nTcpExt: 4 5\n"u8);

        Assert.False(file.TryGetValue(qdrop, out _));
        Assert.True(file.TryGetValue(overflows, out ulong value));
        Assert.Equal(4UL, value);
    }

    [Fact]
    public void Mib_DoubledSpacesBetweenValues_ReadAsTheSameColumns()
    {
        var file = new MibFile("/nonexistent");
        int c = file.Register(new MibKey("Udp", "C"));

        file.Parse("Udp: A B C\nUdp:  1  2   3\n"u8);

        Assert.True(file.TryGetValue(c, out ulong value));
        Assert.Equal(3UL, value);
    }

    // snmp6_seq_show_item: "%-32s\t%lu\n".
    private static string Line(string name, ulong value) =>
        name.PadRight(32) + "\t" + value.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\n";
}
