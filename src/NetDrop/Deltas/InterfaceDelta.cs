namespace NetDrop.Deltas;

/// <summary>One interface's interface-category deltas for an interval (read them with <see cref="IntervalReport.ValueOf(in InterfaceDelta, NetDrop.Model.DropCategory)"/>).</summary>
internal struct InterfaceDelta
{
    public int Series;

    /// <summary>Series of the monitored master (bond) for a slave; -1 for a monitored interface.</summary>
    public int MasterSeries;

    /// <summary>Each interface category's delta; a bond's include what its slaves add (see <see cref="PerDevice"/>).</summary>
    public InterfaceValues Values;

    /// <summary>
    /// The part of each value from per-device counters (qdiscs, driver ring-full counters), which a bond's own
    /// statistics do not fold in: what a slave adds to its master.
    /// </summary>
    public InterfaceValues PerDevice;
}
