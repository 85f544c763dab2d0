namespace NetDrop.Deltas;

/// <summary>Receives the detail rows of one interval from <see cref="IntervalReport.VisitDetail"/> (the detail CSV sink, tests).</summary>
internal interface IDetailRowVisitor
{
    void Visit(in DetailRow row);
}
