namespace NetDrop.Kernel.Tests.TestSupport;

/// <summary>
/// Bytes a hot-path call allocates once warm: tiered JIT and first-use caches allocate on the first calls, so the
/// action runs a warm-up round before the measured one.
/// </summary>
internal static class Allocations
{
    public static long PerCalls(Action action, int warmup = 100, int measured = 1000)
    {
        for (int i = 0; i < warmup; i++)
        {
            action();
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < measured; i++)
        {
            action();
        }

        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
