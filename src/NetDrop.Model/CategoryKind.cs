namespace NetDrop.Model;

/// <summary>
/// Whether a category's events are lost packets (summed into <c>total_drops</c>, less what the kernel already counted
/// in another drop column: README.md, "Where the kernel counts one packet twice") or only a sign of pressure.
/// </summary>
internal enum CategoryKind
{
    Drop,
    Pressure,
}
