using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using NetDrop.Model;

namespace NetDrop.Tests.Coverage;

/// <summary>
/// docs/coverage.md maps every drop reason of the kernel to the counter and column that catch it. This checks the map
/// against the running kernel's own list, so a new kernel's reasons cannot be silently missing: the reasons are the
/// <c>__print_symbolic</c> table of the <c>skb:kfree_skb</c> tracepoint's format file, which the kernel generates from
/// <c>DEFINE_DROP_REASON</c> (include/net/dropreason-core.h, include/trace/events/skb.h).
/// </summary>
public sealed partial class CoverageMapTests
{
    private const string FormatFile = "/sys/kernel/tracing/events/skb/kfree_skb/format";

    private static readonly string[] s_noColumnPhrases = ["no counter", "no column", "not a reason"];

    [Fact]
    public void Map_RunningKernelsDropReasons_EveryReasonIsMapped()
    {
        List<string> reasons = ParseReasons(ReadKernelFormat());
        Dictionary<string, string> map = ReadMap();

        string[] missing = [.. reasons.Where(reason => !map.ContainsKey(reason))];

        Assert.True(missing.Length == 0, $"docs/coverage.md has no row for: {string.Join(", ", missing)}");
    }

    [Fact]
    public void Map_EveryRow_NamesAKnownColumnOrSaysWhyNot()
    {
        var known = new HashSet<string>(DropCategories.Table.Select(category => category.Column), StringComparer.Ordinal);
        known.UnionWith(ReadProposedColumns());
        var unknown = new List<string>();
        foreach ((string reason, string cell) in ReadMap())
        {
            string[] columns = [.. BacktickedName().Matches(cell).Select(match => match.Groups[1].Value)];
            bool explained = s_noColumnPhrases.Any(phrase => cell.Contains(phrase, StringComparison.Ordinal));
            if ((columns.Length == 0 && !explained) || columns.Any(column => !known.Contains(column)))
            {
                unknown.Add($"{reason}: '{cell}'");
            }
        }

        Assert.True(unknown.Count == 0, $"Rows whose column is neither today's, proposed, nor explained: {string.Join("; ", unknown)}");
    }

    [Fact]
    public void ProposedColumns_AreInTheTable_ExceptTheTwoSaidNotToBe()
    {
        string[] proposed = [.. ReadProposedColumns()];

        // conntrack_fill is a gauge (the table has drop and pressure rows, both counters); rx_otherhost_dropped is in
        // rtnetlink's IFLA_STATS64 past the 24 fields LinkCounters copies, and in no sysfs file.
        string[] notInTable = ["conntrack_fill", "nic_otherhost"];
        Assert.True(proposed.Length >= 20, $"Only {proposed.Length} proposed columns were read.");
        Assert.Equal(proposed.Length, proposed.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(notInTable, proposed.Where(name => DropCategories.Table.Find(name) is null).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ParseReasons_TracepointFormat_ReadsTheSymbolTable()
    {
        // The print fmt line as 6.18 writes it, cut short: a parser that found nothing would pass the map test vacuously.
        const string format =
            "print fmt: \"skbaddr=%p rx_sk=%p protocol=%u location=%pS reason: %s\", REC->skbaddr, REC->rx_sk, " +
            "REC->protocol, REC->location, __print_symbolic(REC->reason, { 2, \"NOT_SPECIFIED\" }, { 3, \"NO_SOCKET\" }, " +
            "{ 127, \"RECURSION_LIMIT\" }, { 128, \"MAX\" })\n";

        Assert.Equal(["NOT_SPECIFIED", "NO_SOCKET", "RECURSION_LIMIT", "MAX"], ParseReasons(format));
    }

    [Fact]
    public void ParseReasons_RunningKernel_FindsTheCoreReasons()
    {
        List<string> reasons = ParseReasons(ReadKernelFormat());

        Assert.True(reasons.Count >= 100, $"Only {reasons.Count} reasons in the tracepoint format.");
        Assert.Contains("NOT_SPECIFIED", reasons);
        Assert.Contains("NEIGH_QUEUEFULL", reasons);
    }

    /// <summary>
    /// tracefs is not mounted on this VM, and mounting it on the host would change the host: it is mounted inside a
    /// private mount namespace (<c>unshare -m</c>) that ends with the <c>cat</c>.
    /// </summary>
    private static string ReadKernelFormat()
    {
        if (File.Exists(FormatFile))
        {
            return File.ReadAllText(FormatFile);
        }

        return ToolRunner.Run("unshare", "-m", "sh", "-c", $"mount -t tracefs nodev /sys/kernel/tracing && cat {FormatFile}");
    }

    private static List<string> ParseReasons(string format)
    {
        int start = format.IndexOf("__print_symbolic(REC->reason", StringComparison.Ordinal);
        Assert.True(start >= 0, "The kfree_skb format has no __print_symbolic(REC->reason, ...) table.");
        int end = format.IndexOf('\n', start);
        string table = end < 0 ? format[start..] : format[start..end];
        return [.. SymbolEntry().Matches(table).Select(match => match.Groups[1].Value)];
    }

    /// <summary>The map's rows: <c>| `REASON` | counted by | column |</c>, reason → column cell.</summary>
    private static Dictionary<string, string> ReadMap()
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        bool inMap = false;
        foreach (string line in File.ReadLines(CoverageDocument()))
        {
            if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                inMap = line.StartsWith("## The map", StringComparison.Ordinal);
                continue;
            }

            Match row = MapRow().Match(line);
            if (inMap && row.Success)
            {
                Assert.True(map.TryAdd(row.Groups[1].Value, row.Groups[2].Value.Trim()), $"{row.Groups[1].Value} is in the map twice.");
            }
        }

        Assert.True(map.Count > 0, "docs/coverage.md has no map rows.");
        return map;
    }

    /// <summary>The proposed table's rows: <c>| 29 | `conntrack` | ...</c>.</summary>
    private static IEnumerable<string> ReadProposedColumns() =>
        File.ReadLines(CoverageDocument()).Select(line => ProposedRow().Match(line)).Where(match => match.Success).Select(match => match.Groups[1].Value);

    private static string CoverageDocument([CallerFilePath] string thisFile = "") =>
        Path.GetFullPath(Path.Join(Path.GetDirectoryName(thisFile), "../../../docs/coverage.md"));

    [GeneratedRegex("""\{\s*\d+\s*,\s*"([A-Z0-9_]+)"\s*\}""")]
    private static partial Regex SymbolEntry();

    [GeneratedRegex(@"^\|\s*`([A-Z0-9_]+)`\s*\|[^|]*\|([^|]*)\|\s*$")]
    private static partial Regex MapRow();

    [GeneratedRegex(@"^\|\s*\d+\s*\|\s*`([a-z0-9_]+)`\s*\|")]
    private static partial Regex ProposedRow();

    [GeneratedRegex("`([a-z0-9_]+)`")]
    private static partial Regex BacktickedName();
}
