using NetDrop.Kernel.Snapshots;

namespace NetDrop.Kernel.Ethtool;

/// <summary>
/// One interface's driver statistics (<c>ethtool -S</c>): the driver name, the stat names and their values, index
/// for index. Owned by the caller and refilled in place by <see cref="EthtoolStatsReader.TryRead"/>.
/// </summary>
/// <remarks>
/// PERF: the driver and names are decoded (and the arrays allocated) only on the first read for an interface or when
/// the driver's stat count changes (queues added with <c>ethtool -L</c>, XDP attached); every other read only
/// overwrites <see cref="Values"/>, so steady-state reads allocate nothing. <see cref="SchemaVersion"/> changes
/// whenever the names may have, so callers can recompute index lookups (e.g.
/// <see cref="DriverRingFullCounters.SelectRingFullIndices"/>) only then.
/// </remarks>
internal sealed class EthtoolStatistics
{
    private bool _hasSchema;

    /// <summary>The interface the names were read for.</summary>
    public InterfaceName Interface { get; private set; }

    /// <summary>GDRVINFO <c>driver</c>, e.g. <c>virtio_net</c>, <c>mlx5_core</c>, <c>veth</c>.</summary>
    public string Driver { get; private set; } = "";

    /// <summary>The ETH_SS_STATS names, verbatim (vmxnet3 indents its per-queue names with spaces).</summary>
    public string[] Names { get; private set; } = [];

    /// <summary>The values of the last successful read, <c>Values[i]</c> belonging to <c>Names[i]</c>.</summary>
    public ulong[] Values { get; private set; } = [];

    public int Count => Names.Length;

    /// <summary>Incremented each time <see cref="Driver"/> and <see cref="Names"/> are (re)loaded.</summary>
    public int SchemaVersion { get; private set; }

    /// <summary>
    /// Forces the next read to reload driver and names, e.g. when the caller sees the interface's ifindex change
    /// (a re-created interface can keep its name and stat count but change driver).
    /// </summary>
    public void Invalidate() => _hasSchema = false;

    /// <summary>True when the names are loaded for <paramref name="name"/> and still number <paramref name="count"/>.</summary>
    internal bool IsSchemaCurrent(in InterfaceName name, int count) =>
        _hasSchema && count == Names.Length && Interface == name;

    /// <summary>Loads driver and names from a GDRVINFO and a GSTRINGS reply; false if either does not parse.</summary>
    internal bool TryLoadSchema(in InterfaceName name, ReadOnlySpan<byte> drvInfoReply, ReadOnlySpan<byte> gstringsReply)
    {
        _hasSchema = false;
        string? driver = EthtoolReplies.ParseDriverName(drvInfoReply);
        int count = EthtoolReplies.ParseStringCount(gstringsReply);
        if (driver is null || count <= 0)
        {
            return false;
        }

        // A fresh array each time: a Names reference held by a caller never changes under it.
        string[] names = new string[count];
        if (!EthtoolReplies.TryParseStrings(gstringsReply, names))
        {
            return false;
        }

        Interface = name;
        Driver = driver;
        Names = names;
        if (Values.Length != count)
        {
            Values = new ulong[count];
        }
        else
        {
            Array.Clear(Values);
        }

        SchemaVersion++;
        _hasSchema = true;
        return true;
    }

    /// <summary>Copies a GSTATS reply into <see cref="Values"/>; false unless it holds exactly <see cref="Count"/> values.</summary>
    internal bool TryLoadValues(ReadOnlySpan<byte> gstatsReply) =>
        _hasSchema && EthtoolReplies.TryParseStats(gstatsReply, Values);

    /// <summary>
    /// Fills this object from four captured replies, in the order and with the checks <see cref="EthtoolStatsReader"/>
    /// applies live: the fixture tests' entry point.
    /// </summary>
    internal EthtoolReadStatus LoadFromReplies(
        in InterfaceName name,
        ReadOnlySpan<byte> drvInfoReply,
        ReadOnlySpan<byte> ssetInfoReply,
        ReadOnlySpan<byte> gstringsReply,
        ReadOnlySpan<byte> gstatsReply)
    {
        if (!EthtoolReplies.TryParseStatCount(ssetInfoReply, out int count) || count == 0)
        {
            return EthtoolReadStatus.NotSupported;
        }

        if (count > EthtoolReplies.MaxStatCount)
        {
            return EthtoolReadStatus.Failed;
        }

        if (!IsSchemaCurrent(name, count) && !TryLoadSchema(name, drvInfoReply, gstringsReply))
        {
            return EthtoolReadStatus.Failed;
        }

        return Count == count && TryLoadValues(gstatsReply) ? EthtoolReadStatus.Ok : EthtoolReadStatus.Failed;
    }
}
