using NetDrop.Model;


namespace NetDrop.Analysis.Tests;

/// <summary>Builds small CSV texts for reader tests: NetDrop rows (CsvSchema's columns) and seed rows (the first 16).</summary>
internal static class CsvLines
{
    public static string NetDropHeader => CsvSchema.Default.Header;

    public static string SeedHeader => string.Join(',', CsvSchema.Default.Columns.Take(16));

    /// <summary>A NetDrop row with the given drops in named categories; total_drops is their sum (pressure excluded).</summary>
    public static string NetDropRow(string timestamp, string iface = "eth0", params (string Column, long Value)[] cells)
    {
        var values = new string[CsvSchema.Default.Columns.Length];
        long total = 0;
        for (int i = 0; i < values.Length; i++)
        {
            string column = CsvSchema.Default.Columns[i];
            values[i] = column switch
            {
                CsvSchema.Timestamp => timestamp,
                CsvSchema.Iteration => "1",
                CsvSchema.Interface => iface,
                CsvSchema.IntervalSeconds => "5.000",
                CsvSchema.Unavailable => "",
                _ => "0",
            };
            foreach ((string name, long value) in cells)
            {
                if (name == column)
                {
                    values[i] = value.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    if (NetDrop.Model.DropCategories.Table.Find(name) is { IsDrop: true })
                    {
                        total += value;
                    }
                }
            }
        }

        values[Array.IndexOf(CsvSchema.Default.Columns, CsvSchema.TotalDrops)] = total.ToString(System.Globalization.CultureInfo.InvariantCulture);
        values[CsvSchema.SeverityIndex] = total >= 100 ? "CRIT" : total > 0 ? "WARN" : "OK";
        return string.Join(',', values);
    }

    /// <summary>A seed row: 16 fields, total_drops as given.</summary>
    public static string SeedRow(string timestamp, long total, long softirq = 0, long collapsed = 0, string iface = "eth0") =>
        $"{timestamp},1,{iface},{total},0,0,0,0,{softirq},0,0,0,{collapsed},0,0,{(total >= 100 ? "CRIT" : total > 0 ? "WARN" : "OK")}";
}
