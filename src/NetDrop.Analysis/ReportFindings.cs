using System.Globalization;
using static NetDrop.Analysis.ReportFormatting;

namespace NetDrop.Analysis;

/// <summary>
/// The few sentences at the top of every format, for whoever opens the report at 3 a.m.: what dropped, where,
/// when, and what to check first. Built from the report only, so every format says the same thing.
/// </summary>
internal static class ReportFindings
{
    public static IReadOnlyList<ReportFinding> For(DropReport report)
    {
        var findings = new List<ReportFinding>();
        if (report.Intervals == 0)
        {
            findings.Add(new ReportFinding("Nothing to analyse", report.LeftOut > 0
                ? "No interval matched the requested time range or interfaces."
                : "The input holds no intervals."));
            return findings;
        }

        string span = Span(report.FirstTimestamp, report.LastTimestamp);
        if (report.IntervalsWithDrops == 0)
        {
            findings.Add(new ReportFinding("No drops", $"None of the {Count(report.Intervals)} intervals ({span}) had drops."));
            AddPressure(report, findings);
            return findings;
        }

        string crit = report.Severity.Crit > 0 ? $", {Count(report.Severity.Crit)} of them CRIT" : "";
        findings.Add(new ReportFinding("Drops", $"{Count(report.TotalDrops)} drops in {Count(report.IntervalsWithDrops)} of {Count(report.Intervals)} intervals ({Percent(report.PercentWithDrops)}){crit}, {span}."));

        if (report.Dominant is { } dominant)
        {
            long dropSum = report.DropCategorySum;
            string what = $"mostly {dominant.Category.Label} ({dominant.Category.Column}), {Share(dominant.Total, dropSum)} of the drops";
            CategoryTotal? second = report.DropCategories.Where(c => c.Total > 0 && c != dominant).OrderByDescending(c => c.Total).FirstOrDefault();
            if (second is not null)
            {
                what += $"; then {second.Category.Column} ({Share(second.Total, dropSum)})";
            }

            findings.Add(new ReportFinding("What", Capitalize(what) + "."));
        }

        if (report.Interfaces.Count > 1)
        {
            InterfaceSummary worst = report.Interfaces.OrderByDescending(i => i.TotalDrops).First();
            findings.Add(new ReportFinding("Where", $"{worst.Name} had {Share(worst.TotalDrops, report.TotalDrops)} of the drops ({report.Interfaces.Count} interfaces in the log)."));
        }
        else if (report.Interfaces.Count == 1)
        {
            findings.Add(new ReportFinding("Where", $"{report.Interfaces[0].Name} (the only interface in the log)."));
        }

        if (report.Episodes.Worst.Count > 0)
        {
            DropEpisode episode = report.Episodes.Worst[0];
            string dominantName = episode.Dominant is { } d ? $", mostly {d.Column}" : "";
            string ongoing = episode.Ongoing ? " It was still going when the log ends." : "";
            findings.Add(new ReportFinding("When", $"Worst episode {episode.Start} → {episode.End} on {episode.Interface}: {Duration(episode.DurationSeconds)}, {Count(episode.TotalDrops)} drops, peak {Count(episode.Peak)} at {episode.PeakAt.ToString("HH:mm:ss")}{dominantName}.{ongoing}"));
        }

        int busiest = BusiestHour(report.ByHour);
        if (busiest >= 0)
        {
            findings.Add(new ReportFinding("Time of day", string.Create(CultureInfo.InvariantCulture, $"{busiest:00}:00–{busiest:00}:59 is the worst hour of the day: {Share(report.ByHour[busiest], report.TotalDrops)} of the drops.")));
        }

        if (report.Dominant is { } first)
        {
            findings.Add(new ReportFinding("Check first", $"{first.Category.Column}: {CategoryAdvice.For(first.Category, OnlyInterface(report))}."));
        }

        AddPressure(report, findings);
        return findings;
    }

    private static void AddPressure(DropReport report, List<ReportFinding> findings)
    {
        CategoryTotal? pressure = report.PressureCategories.Where(c => c.Total > 0).OrderByDescending(c => c.Total).FirstOrDefault();
        if (pressure is not null)
        {
            findings.Add(new ReportFinding("Pressure", $"{pressure.Category.Column} {Count(pressure.Total)} in {Count(pressure.IntervalsWithAny)} intervals (pressure, not drops): {CategoryAdvice.For(pressure.Category, OnlyInterface(report))}."));
        }
    }

    // The advice names the interface in its commands when the log has one; a "+"-joined label is several at once.
    private static string? OnlyInterface(DropReport report) =>
        report.Interfaces.Count == 1 && !report.Interfaces[0].Name.Contains('+', StringComparison.Ordinal) ? report.Interfaces[0].Name : null;

    private static int BusiestHour(IReadOnlyList<long> byHour)
    {
        int busiest = -1;
        for (int hour = 0; hour < byHour.Count; hour++)
        {
            if (byHour[hour] > 0 && (busiest < 0 || byHour[hour] > byHour[busiest]))
            {
                busiest = hour;
            }
        }

        return busiest;
    }

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
