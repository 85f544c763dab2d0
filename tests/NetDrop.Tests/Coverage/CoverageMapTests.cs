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

    private const string DropReasonsPointer = "see drop reasons (`--drop-reasons`)";

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

        Assert.True(unknown.Count == 0, $"Rows whose column is not the CSV's and not explained: {string.Join("; ", unknown)}");
    }

    /// <summary>
    /// The "no counter" rows are the list the drop-reason view closes (issue 13): each says where to look instead.
    /// </summary>
    [Fact]
    public void Map_NoCounterRows_PointAtDropReasons()
    {
        string[] silent = [.. ReadMap()
            .Where(row => row.Value.Contains("no counter", StringComparison.Ordinal) && !row.Value.Contains(DropReasonsPointer, StringComparison.Ordinal))
            .Select(row => row.Key)];

        Assert.True(silent.Length == 0, $"\"no counter\" rows that do not say \"{DropReasonsPointer}\": {string.Join(", ", silent)}");
    }

    /// <summary>
    /// The page's column table is the issue-12 rows of the category table (ids 21 and up), in order, each numbered
    /// as README's "The CSV" numbers it (the README is the reference, and ReadmeColumnTableTests holds it to the
    /// schema); the two proposed columns that were not added are said to be, and are not in the table.
    /// </summary>
    [Fact]
    public void ColumnTable_IsTheIssue12Rows_NumberedAsTheReadme()
    {
        const int FirstIssue12Id = 21;
        List<(int Number, string Column)> documented = [.. NumberedRows(CoverageDocument(), "## The issue-12 columns")];
        Dictionary<string, int> readme = NumberedRows(ReadmeDocument(), "## The CSV").ToDictionary(row => row.Column, row => row.Number, StringComparer.Ordinal);

        Assert.Equal(
            DropCategories.Table.Where(category => category.Id >= FirstIssue12Id).Select(category => category.Column),
            documented.Select(row => row.Column));
        Assert.All(documented, row => Assert.True(
            readme.TryGetValue(row.Column, out int number) && number == row.Number,
            $"docs/coverage.md numbers {row.Column} {row.Number}; README's \"The CSV\" says {(readme.TryGetValue(row.Column, out int n) ? n : "nothing")}."));

        string notAdded = Section(CoverageDocument(), "## The issue-12 columns");
        foreach (string column in new[] { "conntrack_fill", "nic_otherhost" })
        {
            Assert.Contains($"- `{column}`", notAdded, StringComparison.Ordinal);
            Assert.Null(DropCategories.Table.Find(column));
        }
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

    /// <summary>The rows <c>| 27 | `conntrack` | ...</c> of one section's tables.</summary>
    private static IEnumerable<(int Number, string Column)> NumberedRows(string document, string heading) =>
        Section(document, heading).Split('\n')
            .Select(line => NumberedRow().Match(line))
            .Where(match => match.Success)
            .Select(match => (int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), match.Groups[2].Value));

    /// <summary>The text from <paramref name="heading"/> to the next heading of the same or a higher level.</summary>
    private static string Section(string document, string heading)
    {
        var section = new System.Text.StringBuilder();
        bool inSection = false;
        foreach (string line in File.ReadLines(document))
        {
            if (line.StartsWith("## ", StringComparison.Ordinal) || line.StartsWith("# ", StringComparison.Ordinal))
            {
                if (inSection)
                {
                    break;
                }

                inSection = line.StartsWith(heading, StringComparison.Ordinal);
                continue;
            }

            if (inSection)
            {
                section.Append(line).Append('\n');
            }
        }

        Assert.True(section.Length > 0, $"{document} has no section '{heading}'.");
        return section.ToString();
    }

    private static string ReadmeDocument([CallerFilePath] string thisFile = "") =>
        Path.GetFullPath(Path.Join(Path.GetDirectoryName(thisFile), "../../../README.md"));

    private static string CoverageDocument([CallerFilePath] string thisFile = "") =>
        Path.GetFullPath(Path.Join(Path.GetDirectoryName(thisFile), "../../../docs/coverage.md"));

    [GeneratedRegex("""\{\s*\d+\s*,\s*"([A-Z0-9_]+)"\s*\}""")]
    private static partial Regex SymbolEntry();

    [GeneratedRegex(@"^\|\s*`([A-Z0-9_]+)`\s*\|[^|]*\|([^|]*)\|\s*$")]
    private static partial Regex MapRow();

    [GeneratedRegex(@"^\|\s*(\d+)\s*\|\s*`([a-z0-9_]+)`\s*\|")]
    private static partial Regex NumberedRow();

    [GeneratedRegex("`([a-z0-9_]+)`")]
    private static partial Regex BacktickedName();
}
