namespace NetDrop.Model;

/// <summary>Where a category's kernel counters live, which decides how sinks break it down.</summary>
internal enum CategoryScope
{
    /// <summary>On each interface: broken down per interface (and per bond slave).</summary>
    Interface,

    /// <summary>Once per network namespace (the socket layer: TcpExt, Udp, Udp6).</summary>
    Namespace,

    /// <summary>Once for the whole host, whichever namespace reads it (softnet_stat): broken down per CPU.</summary>
    Host,
}
