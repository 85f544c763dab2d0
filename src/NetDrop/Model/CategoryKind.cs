namespace NetDrop.Model;

/// <summary>Whether a category's events are lost packets (summed into <c>total_drops</c>) or only a sign of pressure.</summary>
internal enum CategoryKind
{
    Drop,
    Pressure,
}
