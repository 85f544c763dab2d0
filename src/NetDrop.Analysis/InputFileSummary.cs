namespace NetDrop.Analysis;

/// <summary>One input file as it was read.</summary>
/// <param name="Rows">Well-formed rows, before any filter.</param>
internal sealed record InputFileSummary(string Path, CsvInputLayout? Layout, bool Compressed, long Rows, LocalTimestamp? First, LocalTimestamp? Last);
