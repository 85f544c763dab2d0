using NetDrop.Model;

namespace NetDrop.Deltas;

/// <summary>One CPU's softnet deltas for an interval.</summary>
internal readonly record struct SoftnetDelta(int Cpu, ulong Dropped, ulong TimeSqueeze)
{
    public ulong ValueOf(SoftnetColumn column) => column == SoftnetColumn.Dropped ? Dropped : TimeSqueeze;
}
