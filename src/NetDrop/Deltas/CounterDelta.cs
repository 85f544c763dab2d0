namespace NetDrop.Deltas;

/// <summary>How a counter's increase over one interval is computed from two readings.</summary>
internal static class CounterDelta
{
    /// <summary>
    /// The increase from <paramref name="previous"/> to <paramref name="current"/>. A counter that went down was reset
    /// (interface re-created, driver reloaded, qdisc replaced, CPU hot-plugged): its new value is the increase, as
    /// Prometheus' <c>rate()</c> assumes — never a negative number or a 2^64 spike. A 32-bit counter that went down
    /// from near the top wrapped: the increase goes through 2^32.
    /// </summary>
    public static ulong Compute(ulong previous, ulong current, bool is32Bit = false)
    {
        if (current >= previous)
        {
            return current - previous;
        }

        if (is32Bit && previous <= uint.MaxValue && IsPlausibleWrap(previous, current))
        {
            return uint.MaxValue - previous + current + 1;
        }

        return current;
    }

    // A wrap only happens from the top quarter of the range into the bottom quarter within one interval; anything
    // else that goes down (say 5,000 to 3) is a reset, and counting 2^32 - 4,997 drops for it would be a lie.
    private static bool IsPlausibleWrap(ulong previous, ulong current) =>
        previous >= 3UL << 30 && current < 1UL << 30;
}
