namespace NetDrop.Benchmarks;

/// <summary>The physical-ish interface the per-interface live benchmarks read: NDBENCH_INTERFACE, default eth0.</summary>
internal static class LiveInterface
{
    public static string Name { get; } = Environment.GetEnvironmentVariable("NDBENCH_INTERFACE") is { Length: > 0 } name ? name : "eth0";
}
