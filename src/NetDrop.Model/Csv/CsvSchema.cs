namespace NetDrop.Model;

/// <summary>
/// The CSV columns. The seed's sixteen come first and in its order, so awk one-liners addressing <c>$1..$16</c> keep
/// working; ours follow <c>severity</c>:
/// <code>
/// timestamp,iteration,interface,total_drops,nic_rx,...,udp_sndbuf,severity,tcp_backlog,...,syn_cookies,interval_s,unavailable
/// 2026-02-03 11:23:50,124,eth0,523,0,0,0,0,500,0,23,0,0,0,0,CRIT,0,...,0,5.000,
/// </code>
/// </summary>
internal sealed class CsvSchema
{
    public const string Timestamp = "timestamp";
    public const string Iteration = "iteration";
    public const string Interface = "interface";
    public const string TotalDrops = "total_drops";
    public const string Severity = "severity";

    /// <summary>Seconds the interval really lasted (the timer can slip); lets rates be computed without knowing the flag.</summary>
    public const string IntervalSeconds = "interval_s";

    /// <summary>Categories whose source could not be read this interval, separated by <c>;</c> (empty when all were read).</summary>
    public const string Unavailable = "unavailable";

    public const string TimestampFormat = "yyyy-MM-dd HH:mm:ss";

    /// <summary>Zero-based index of <c>severity</c>: the seed's sixteenth column.</summary>
    public const int SeverityIndex = 4 + DropCategoryTable.SeedCount;

    public CsvSchema(DropCategoryTable table)
    {
        Table = table;
        Columns = BuildColumns(table);
        Header = string.Join(',', Columns);
    }

    /// <summary>The product's schema, over <see cref="DropCategories.Table"/>.</summary>
    public static CsvSchema Default { get; } = new(DropCategories.Table);

    public DropCategoryTable Table { get; }

    /// <summary>Every column in order.</summary>
    public string[] Columns { get; }

    /// <summary>The header line, without its trailing newline.</summary>
    public string Header { get; }

    /// <summary>Zero-based column index of a category's delta.</summary>
    public static int ColumnOf(DropCategory category) =>
        category.Id < DropCategoryTable.SeedCount ? 4 + category.Id : 5 + category.Id;

    private static string[] BuildColumns(DropCategoryTable table)
    {
        var columns = new List<string> { Timestamp, Iteration, Interface, TotalDrops };
        for (int i = 0; i < DropCategoryTable.SeedCount; i++)
        {
            columns.Add(table[i].Column);
        }

        columns.Add(Severity);
        for (int i = DropCategoryTable.SeedCount; i < table.Count; i++)
        {
            columns.Add(table[i].Column);
        }

        columns.Add(IntervalSeconds);
        columns.Add(Unavailable);
        return [.. columns];
    }
}
