using System.Text;
using NetDrop.Kernel.Procfs;
using NetDrop.Kernel.Tests.TestSupport;

namespace NetDrop.Kernel.Tests.Procfs;

public class ProcNetStatFileTests
{
    private static string Synthetic(string fixture, string table) =>
        Path.Join(Fixtures.Root, "synthetic", fixture, "proc/net/stat", table);

    private static string Captured(string table) =>
        Fixtures.KernelFile(Fixtures.CapturedKernel, Path.Join("proc/net/stat", table));

    [Fact]
    public void Read_CapturedArpCache_SumsTheCpuLinesAndKeepsEntriesOnce()
    {
        // The captured file's two CPU lines: allocs 00000111 and 000000df, entries 00000002 on both.
        var file = new ProcNetStatFile(Captured("arp_cache"));
        int allocs = file.Register("allocs");
        int entries = file.Register("entries");
        int unresolved = file.Register("unresolved_discards");
        int tableFulls = file.Register("table_fulls");

        Assert.True(file.TryReadTable(out _));

        Assert.Equal(2, file.CpuCount);
        Assert.True(file.TryGetValue(allocs, out ulong value));
        Assert.Equal(0x111UL + 0xdfUL, value);
        Assert.True(file.TryGetValue(entries, out value));
        Assert.Equal(2UL, value); // one global count printed on each line, not 4
        Assert.True(file.TryGetValue(unresolved, out value));
        Assert.Equal(0UL, value);
        Assert.True(file.IsPresent(tableFulls));
    }

    [Theory]
    [InlineData("nf_conntrack", 17)]
    [InlineData("ndisc_cache", 13)]
    public void Read_CapturedTables_ReadEveryColumn(string table, int columns)
    {
        string path = Captured(table);
        string[] names = File.ReadLines(path).First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(columns, names.Length);
        var file = new ProcNetStatFile(path);
        int[] handles = [.. names.Select(file.Register)];

        Assert.True(file.TryReadTable(out _));

        Assert.All(handles, handle => Assert.True(file.IsPresent(handle)));
        Assert.Equal(2, file.CpuCount);
    }

    [Theory]
    [InlineData("entries", 0x2aUL)]                 // the gauge, from one line
    [InlineData("clashres", 0x800aUL)]             // 0x2001 + 0x2002 + 0x2003 + 0x2004
    [InlineData("insert_failed", 0x2800aUL)]
    [InlineData("drop", 0xffffffffUL + 0xb001 + 0xb002 + 0xb003)] // CPU line 3 holds the largest u32
    [InlineData("early_drop", 0x3000aUL)]
    [InlineData("search_restart", 0x4400aUL)]
    public void Read_ConntrackSentinel_MapsEachColumnByName(string column, ulong expected)
    {
        var file = new ProcNetStatFile(Synthetic("proc-net-stat", "nf_conntrack"));
        int handle = file.Register(column);

        Assert.True(file.TryReadTable(out _));

        Assert.Equal(4, file.CpuCount);
        Assert.True(file.TryGetValue(handle, out ulong value));
        Assert.Equal(expected, value);
    }

    [Fact]
    public void Read_ConntrackSentinel_KeepsEachCpuLine()
    {
        var file = new ProcNetStatFile(Synthetic("proc-net-stat", "nf_conntrack"));
        int drop = file.Register("drop");
        Assert.True(file.TryReadTable(out _));

        ulong[] perCpu = new ulong[4];
        for (int cpu = 0; cpu < 4; cpu++)
        {
            Assert.True(file.TryGetCpuValue(drop, cpu, out perCpu[cpu]));
        }

        Assert.Equal([0xb001UL, 0xb002UL, 0xb003UL, 0xffffffffUL], perCpu);
        Assert.False(file.TryGetCpuValue(drop, 4, out _));
    }

    [Theory]
    [InlineData("unresolved_discards", 0x123456789abcdef0UL + 0xc001 + 0xc002 + 0xc004)] // 16 hex digits on one line
    [InlineData("table_fulls", 0x100000000UL + 0xd001 + 0xd003 + 0xd004)]                // 9 hex digits on one line
    [InlineData("allocs", 0x800aUL)]
    [InlineData("entries", 0x2aUL)]
    public void Read_NeighbourSentinel_ParsesUnsignedLongs(string column, ulong expected)
    {
        var file = new ProcNetStatFile(Synthetic("proc-net-stat", "arp_cache"));
        int handle = file.Register(column);

        Assert.True(file.TryReadTable(out _));

        Assert.True(file.TryGetValue(handle, out ulong value));
        Assert.Equal(expected, value);
    }

    [Fact]
    public void Read_OlderConntrackLayout_ResolvesRenamedColumnsByName()
    {
        // 2.6-era: "searched" where 6.x prints "clashres", no search_restart, a space before each newline.
        var file = new ProcNetStatFile(Synthetic("proc-net-stat-old", "nf_conntrack"));
        int drop = file.Register("drop");
        int clashres = file.Register("clashres");
        int searched = file.Register("searched");

        Assert.True(file.TryReadTable(out _));

        Assert.True(file.TryGetValue(drop, out ulong value));
        Assert.Equal(0x2c00aUL, value); // column 10: 0xb001 + 0xb002 + 0xb003 + 0xb004
        Assert.False(file.IsPresent(clashres));
        Assert.True(file.TryGetValue(searched, out value));
        Assert.Equal(0x800aUL, value);
    }

    [Fact]
    public void Read_OlderNeighbourLayout_LacksTheDropColumns()
    {
        var file = new ProcNetStatFile(Synthetic("proc-net-stat-old", "arp_cache"));
        int unresolved = file.Register("unresolved_discards");
        int forcedGc = file.Register("forced_gc_runs");

        Assert.True(file.TryReadTable(out _));

        Assert.True(file.IsValid);
        Assert.False(file.IsPresent(unresolved)); // absent on this kernel: unavailable, not 0
        Assert.True(file.TryGetValue(forcedGc, out ulong value));
        Assert.Equal(0x2c00aUL, value);
    }

    [Fact]
    public void Parse_EntriesDifferPerLine_TakesTheLastLineAndSumsTheRest()
    {
        // nf_conntrack_count(net) is read again for every CPU line, so the gauge can move between lines.
        var file = new ProcNetStatFile("/nonexistent");
        int entries = file.Register("entries");
        int drop = file.Register("drop");

        file.Parse("entries  drop\n00000001  00000002\n00000003  00000004\n"u8);

        Assert.True(file.TryGetValue(entries, out ulong value));
        Assert.Equal(3UL, value);
        Assert.True(file.TryGetValue(drop, out value));
        Assert.Equal(6UL, value);
    }

    [Fact]
    public void Parse_ColumnsReordered_ResolvesByName()
    {
        var file = new ProcNetStatFile("/nonexistent");
        int drop = file.Register("drop");
        file.Parse("entries drop insert_failed\n00000000 00000005 00000007\n"u8);

        file.Parse("entries insert_failed drop\n00000000 00000007 00000009\n"u8);

        Assert.True(file.TryGetValue(drop, out ulong value));
        Assert.Equal(9UL, value);
        Assert.Equal(2, file.SchemaVersion);
    }

    [Fact]
    public void Parse_TabSeparated_Reads()
    {
        // synproxy_cpu_seq_show (net/netfilter/nf_synproxy_core.c) separates with tabs.
        var file = new ProcNetStatFile("/nonexistent");
        int received = file.Register("syn_received");

        file.Parse("entries\t\tsyn_received\tcookie_invalid\n00000000\t00000010\t00000000\n00000000\t00000001\t00000000\n"u8);

        Assert.True(file.TryGetValue(received, out ulong value));
        Assert.Equal(0x11UL, value);
    }

    [Theory]
    [InlineData("")]                                                            // empty
    [InlineData("entries drop\n")]                                              // header, no CPU line
    [InlineData("entries drop")]                                                // cut-off header
    [InlineData("entries drop\n00000000 00000001\n00000000 0000")]              // last line cut off: lost digits
    [InlineData("entries drop\n00000000 00000001\n00000000\n")]                 // a line with a value missing
    [InlineData("entries drop\n00000000 00000001 00000002\n")]                  // a value more than names
    [InlineData("entries drop\n00000000 0000000g\n")]                           // not hex
    [InlineData("entries drop\n00000000 -0000001\n")]                           // signed
    [InlineData("entries drop\n00000000 10000000000000000\n")]                  // 17 digits: past 2^64
    [InlineData("entries drop\n00000000 00000001\r\n")]                         // CRLF
    [InlineData("entries drop\n00000000 0000\00001\n")]                         // NUL
    [InlineData("entries drop\n00000000 ffffffffffffffff\n00000000 00000001\n")] // the sum passes 2^64
    public void Parse_Malformed_LeavesEveryColumnInvalid(string content)
    {
        var file = new ProcNetStatFile("/nonexistent");
        int entries = file.Register("entries");
        int drop = file.Register("drop");
        file.Parse("entries drop\n00000000 00000001\n"u8); // a good read first: nothing of it may survive

        file.Parse(Encoding.Latin1.GetBytes(content));

        Assert.False(file.IsValid);
        Assert.False(file.IsPresent(entries));
        Assert.False(file.IsPresent(drop));
        Assert.False(file.TryGetCpuValue(drop, 0, out _));
        Assert.Equal(0, file.CpuCount);
    }

    [Fact]
    public void TryReadTable_Malformed_ReturnsEbadmsg()
    {
        using TemporaryRoot root = Fixtures.Temporary(("net/stat/nf_conntrack", "entries drop\n00000000 0000"));
        var file = new ProcNetStatFile(root.PathOf("net/stat/nf_conntrack"));
        file.Register("drop");

        Assert.False(file.TryReadTable(out int errno));
        Assert.Equal(Interop.Errno.EBADMSG, errno);
    }

    [Fact]
    public void TryReadTable_NoConntrackModule_ReturnsEnoent()
    {
        // Without nf_conntrack loaded (or for arp_cache in a namespace other than the initial one) there is no file:
        // unavailable, told apart from a file that did not parse.
        var file = new ProcNetStatFile("/proc/net/stat/nf_conntrack-absent");
        file.Register("drop");

        Assert.False(file.TryReadTable(out int errno));
        Assert.Equal(Interop.Errno.ENOENT, errno);
        Assert.False(file.IsValid);
    }

    [Fact]
    public void TryReadTable_RunningKernel_ReadsEveryTableThatExists()
    {
        // The live files through the same path as the fixtures (pread on a kept procfs descriptor): twice, so the
        // second read goes through the kept descriptor.
        foreach (string table in new[] { "nf_conntrack", "arp_cache", "ndisc_cache" })
        {
            string path = Path.Join("/proc/net/stat", table);
            if (!File.Exists(path))
            {
                continue;
            }

            var file = new ProcNetStatFile(path);
            int entries = file.Register(ProcNetStatFile.EntriesColumn);
            Assert.True(file.TryReadTable(out int errno), $"{path}: errno {errno}");
            Assert.True(file.TryReadTable(out errno), $"{path} (kept descriptor): errno {errno}");
            Assert.True(file.IsPresent(entries));
            Assert.True(file.CpuCount >= Environment.ProcessorCount);
        }
    }

    [Fact]
    public void Parse_SteadyState_AllocatesNothing()
    {
        byte[] content = File.ReadAllBytes(Synthetic("proc-net-stat", "arp_cache"));
        var file = new ProcNetStatFile("/nonexistent");
        file.Register("unresolved_discards");
        file.Register("table_fulls");
        Assert.Equal(0, Allocations.PerCalls(() => file.Parse(content)));
    }
}
