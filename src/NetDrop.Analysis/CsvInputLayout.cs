namespace NetDrop.Analysis;

/// <summary>How a file's columns were learned.</summary>
internal enum CsvInputLayout
{
    /// <summary>A header line naming the seed's sixteen columns and nothing else: the bash tool's file.</summary>
    SeedHeader,

    /// <summary>A header line with the seed's sixteen columns followed by more: NetDrop's file.</summary>
    NetDropHeader,

    /// <summary>No header line; the first line is a data row, read with the seed's sixteen columns.</summary>
    HeaderlessSeed,

    /// <summary>No header line; the first line is a data row as wide as this version's own CSV.</summary>
    HeaderlessNetDrop,
}
