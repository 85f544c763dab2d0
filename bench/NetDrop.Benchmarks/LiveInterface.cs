namespace NetDrop.Benchmarks;

/// <summary>The physical-ish interface the per-interface live benchmarks read: NETDROP_BENCH_INTERFACE, default eth0.</summary>
internal static class LiveInterface
{
    public static string Name { get; } = Environment.GetEnvironmentVariable("NETDROP_BENCH_INTERFACE") is { Length: > 0 } name ? name : "eth0";
}
