namespace NetDrop.Configuration;

/// <summary>Where interface counters come from: one rtnetlink dump (default), or sysfs files (fallback, fixtures).</summary>
internal enum LinkSourceKind
{
    Netlink,
    Sysfs,
}
