namespace NetDrop.Model;

/// <summary>
/// One column of the drop model: its CSV name (also the <c>netdrop.category</c> attribute), the console label, the
/// kernel counters that feed it (for people; the sampler wires the counters in code), and the tuning advice that both
/// the CRIT records (with live values) and <c>analyze</c> (without) give for it.
/// </summary>
/// <param name="Id">Position in <see cref="DropCategories.All"/>; the index into every per-category array.</param>
internal sealed record DropCategory(int Id, string Column, string Label, CategoryKind Kind, CategoryScope Scope, string Source, TuningAdviceTemplate Advice)
{
    public bool IsDrop => Kind == CategoryKind.Drop;
}
