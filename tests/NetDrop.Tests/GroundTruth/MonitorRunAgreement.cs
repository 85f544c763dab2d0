using System.Globalization;
using System.Text;
using NetDrop.Tests.TestSupport;

namespace NetDrop.Tests.GroundTruth;

/// <summary>
/// The end of a whole-run ground truth (<see cref="GroundTruthTests"/>, <c>CoverageMonitorTests</c>): per column of
/// <see cref="KernelCounterMap"/>, what the inducers witnessed (summed), the kernel's delta over the run, and the sum
/// of the monitor's CSV rows, compared exactly but for the columns the caller names as not exactly countable by the
/// agent in that setting.
/// </summary>
internal sealed class MonitorRunAgreement
{
    private readonly KernelCounterDelta _delta;
    private readonly HashSet<string> _unwitnessed;

    /// <param name="witnesses">Every inducer's witness of the run.</param>
    /// <param name="delta">The oracle's delta from before the monitor started to after it stopped.</param>
    /// <param name="header">The CSV header.</param>
    /// <param name="rows">The CSV's interval rows.</param>
    public MonitorRunAgreement(IReadOnlyList<DropWitness> witnesses, KernelCounterDelta delta, string[] header, IReadOnlyList<string[]> rows)
    {
        _delta = delta;
        _unwitnessed = witnesses.SelectMany(witness => witness.Unwitnessed).ToHashSet(StringComparer.Ordinal);
        Witnessed = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach ((string column, long count) in witnesses.SelectMany(witness => witness.Counts))
        {
            Witnessed[column] = Witnessed.GetValueOrDefault(column) + count;
        }

        CsvSums = KernelCounterMap.Columns.Keys.ToDictionary(column => column, _ => 0L, StringComparer.Ordinal);
        foreach (string[] row in rows)
        {
            foreach (string column in KernelCounterMap.Columns.Keys)
            {
                CsvSums[column] += Cell(header, row, column);
            }
        }
    }

    /// <summary>Per-CPU, machine-wide counters (softnet_stat): traffic outside the test moves them, so the CSV lies in 0..kernel.</summary>
    public required IReadOnlyCollection<string> MachineWide { get; init; }

    /// <summary>The initial namespace's tables (neighbour caches): the agent in a namespace cannot read them; the kernel moved at least the witness.</summary>
    public IReadOnlyCollection<string> InitialNamespaceOnly { get; init; } = [];

    /// <summary>Pressure columns: a "-" in the table's witnessed cell when they moved uninduced.</summary>
    public required IReadOnlyCollection<string> Pressure { get; init; }

    /// <summary>The witnessed count per column, summed over the inducers.</summary>
    public Dictionary<string, long> Witnessed { get; }

    /// <summary>The CSV rows' sum per column.</summary>
    public Dictionary<string, long> CsvSums { get; }

    /// <summary>One line per disagreement; empty when witness, kernel and CSV agree on every column.</summary>
    public List<string> Mismatches()
    {
        var mismatches = new List<string>();
        foreach (string column in KernelCounterMap.Columns.Keys)
        {
            long kernel = _delta[column];
            long csv = CsvSums[column];
            long seen = Witnessed.GetValueOrDefault(column);
            if (MachineWide.Contains(column))
            {
                if (csv < 0 || csv > kernel)
                {
                    mismatches.Add($"{column}: CSV {csv} outside 0..kernel {kernel}");
                }
            }
            else if (InitialNamespaceOnly.Contains(column))
            {
                // The host's table is shared with every other test on the machine: at least what was witnessed.
                if (kernel < seen)
                {
                    mismatches.Add($"{column}: witnessed {seen}, host kernel only {kernel}");
                }
            }
            else
            {
                // The monitor's summed deltas are the kernel's delta over the run, exactly; and the kernel moved by
                // exactly what the inducers witnessed (zero where nothing was induced).
                if (csv != kernel)
                {
                    mismatches.Add($"{column}: kernel {kernel}, CSV {csv}");
                }

                if (!_unwitnessed.Contains(column) && kernel != seen)
                {
                    mismatches.Add($"{column}: witnessed {seen}, kernel {kernel}");
                }
            }
        }

        return mismatches;
    }

    /// <summary>The three witnesses side by side, for the test output and failure messages.</summary>
    public string Table()
    {
        int width = KernelCounterMap.Columns.Keys.Max(column => column.Length);
        var table = new StringBuilder();
        table.AppendLine(CultureInfo.InvariantCulture, $"| {"category".PadRight(width)} | {"witnessed",9} | {"kernel delta",12} | {"NetDrop sum",11} |");
        table.AppendLine(CultureInfo.InvariantCulture, $"|{new string('-', width + 2)}|-----------|--------------|-------------|");
        foreach (string column in KernelCounterMap.Columns.Keys)
        {
            string seen = Witnessed.TryGetValue(column, out long count) ? count.ToString(CultureInfo.InvariantCulture)
                : MachineWide.Contains(column) || Pressure.Contains(column) && _delta[column] != 0 ? "-" : "0";
            string csv = InitialNamespaceOnly.Contains(column) ? "unavailable" : CsvSums[column].ToString(CultureInfo.InvariantCulture);
            table.AppendLine(CultureInfo.InvariantCulture, $"| {column.PadRight(width)} | {seen,9} | {_delta[column],12} | {csv,11} |");
        }

        return table.ToString();
    }

    /// <summary>A CSV cell by its column's name.</summary>
    public static string Text(string[] header, string[] row, string column)
    {
        int index = Array.IndexOf(header, column);
        return index >= 0 ? row[index] : throw new KeyNotFoundException($"The CSV header has no column '{column}': {string.Join(',', header)}");
    }

    /// <summary>A CSV count cell by its column's name.</summary>
    public static long Cell(string[] header, string[] row, string column) =>
        long.Parse(Text(header, row, column), NumberStyles.None, CultureInfo.InvariantCulture);
}
