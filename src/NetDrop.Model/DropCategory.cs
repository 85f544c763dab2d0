namespace NetDrop.Model;

/// <summary>
/// One row of the drop model: its CSV column (also the <c>netdrop.category</c> attribute and the
/// <c>thresholds.&lt;column&gt;</c> key), the console label, whether it is a drop or pressure, the kernel counters it
/// is made of, and the tuning advice both the CRIT records (with live values) and <c>analyze</c> (without) give.
/// Everything that reads, computes, writes or analyses a category is driven from this row.
/// </summary>
/// <param name="Id">Position in its <see cref="DropCategoryTable"/>; the index into every per-category array.</param>
/// <param name="Direction">Where the row also feeds the semantic conventions' <c>system.network.packet.dropped</c>.</param>
internal sealed record DropCategory(
    int Id,
    string Column,
    string Label,
    CategoryKind Kind,
    CounterFormula Counters,
    TuningAdviceTemplate Advice,
    NetworkIoDirection Direction = NetworkIoDirection.None)
{
    public bool IsDrop => Kind == CategoryKind.Drop;

    public CategoryScope Scope => Counters.Scope;

    /// <summary>The counters for people: "TcpExt: ListenDrops - ListenOverflows - TCPReqQFullDrop".</summary>
    public string Source => Counters.ToString();
}
