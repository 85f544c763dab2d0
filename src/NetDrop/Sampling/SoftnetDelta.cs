namespace NetDrop.Sampling;

/// <summary>One CPU's softnet deltas for an interval.</summary>
internal readonly record struct SoftnetDelta(int Cpu, ulong Dropped, ulong TimeSqueeze);
