namespace NetDrop.Model;

/// <summary>One counter in a category's formula: added or subtracted, and whether its packets are in another column.</summary>
/// <param name="InAnotherColumn">
/// The kernel counts every event of this counter in another drop column too (README.md, "Where the kernel counts one
/// packet twice"): it is shown in this column and left out of <c>total_drops</c>.
/// </param>
internal readonly record struct CounterTerm(KernelCounter Counter, bool Subtracted = false, bool InAnotherColumn = false)
{
    public static implicit operator CounterTerm(KernelCounter counter) => new(counter);
}
