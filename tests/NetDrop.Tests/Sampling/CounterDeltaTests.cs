using NetDrop.Deltas;

namespace NetDrop.Tests.Sampling;

public class CounterDeltaTests
{
    [Fact]
    public void Compute_Increase_ReturnsDifference() => Assert.Equal(7UL, CounterDelta.Compute(10, 17));

    [Fact]
    public void Compute_64BitCounterGoesDown_IsResetAndCountsNewValue() => Assert.Equal(3UL, CounterDelta.Compute(5_000, 3));

    [Fact]
    public void Compute_32BitWrapNearTop_CountsThroughTwoToThe32()
    {
        Assert.Equal(16UL, CounterDelta.Compute(uint.MaxValue - 5, 10, is32Bit: true));
    }

    [Fact]
    public void Compute_32BitCounterDropsFromLowValue_IsResetNotWrap()
    {
        // 5,000 → 3 is a replaced qdisc, not 4 billion drops.
        Assert.Equal(3UL, CounterDelta.Compute(5_000, 3, is32Bit: true));
    }

    [Fact]
    public void Compute_64BitMaximum_NeverOverflows() => Assert.Equal(0UL, CounterDelta.Compute(ulong.MaxValue, ulong.MaxValue));
}
