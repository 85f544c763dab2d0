namespace NetDrop.Model;

/// <summary>Where a kernel counter lives: on one interface, or across the whole network namespace.</summary>
internal enum CategoryScope
{
    Interface,
    Host,
}
