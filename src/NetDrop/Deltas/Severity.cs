namespace NetDrop.Deltas;

/// <summary>The seed's severities: OK = no drops, WARN = 1 to threshold−1, CRIT = threshold or more.</summary>
internal enum Severity
{
    Ok = 0,
    Warn = 1,
    Crit = 2,
}
