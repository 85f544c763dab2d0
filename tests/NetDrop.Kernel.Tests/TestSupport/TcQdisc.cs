namespace NetDrop.Kernel.Tests.TestSupport;

/// <summary>One qdisc as <c>tc -s -j qdisc show</c> prints it; <see cref="Parent"/> is 0xFFFFFFFF for a root.</summary>
internal sealed record TcQdisc(
    string Dev,
    string Kind,
    uint Handle,
    uint Parent,
    ulong Bytes,
    ulong Packets,
    ulong Drops,
    ulong Overlimits,
    ulong Requeues,
    ulong Backlog,
    ulong Qlen);
