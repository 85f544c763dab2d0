using NetDrop.Model;
using NetDrop.Tests.GroundTruth;

namespace NetDrop.Tests.TestSupport;

/// <summary>
/// One reading of the kernel's counters by <see cref="KernelCounterOracle"/>. A column's value is computed from the
/// ground truth's own table, <see cref="KernelCounterMap"/>, so NetDrop's catalogue is never the specification it is
/// checked against.
/// </summary>
internal sealed class KernelCounterSnapshot(
    IReadOnlyDictionary<string, long> mib,
    IReadOnlyList<long> softnetColumns,
    IReadOnlyDictionary<string, long> linkStatistics,
    long topLevelQdiscDrops,
    long everyQdiscDrops)
{
    /// <summary>
    /// A raw counter: <c>Group:Name</c> from netstat/snmp (<c>TcpExt:ListenOverflows</c>), the plain name from snmp6
    /// (<c>Udp6RcvbufErrors</c>), <c>link:NAME</c> for rtnl_link_stats64 fields, <c>softnet:N</c> for a 1-based
    /// softnet_stat column summed over CPUs, <c>qdisc:drops</c> for the top-level qdiscs (roots, ingress/clsact),
    /// <c>qdisc:every-drops</c> for the naive sum over every qdisc in the dump.
    /// </summary>
    public long Raw(string key)
    {
        switch (key)
        {
            case "qdisc:drops":
                return topLevelQdiscDrops;
            case "qdisc:every-drops":
                return everyQdiscDrops;
        }

        if (key.StartsWith("link:", StringComparison.Ordinal))
        {
            return linkStatistics[key["link:".Length..]];
        }

        if (key.StartsWith("softnet:", StringComparison.Ordinal))
        {
            int column = int.Parse(key["softnet:".Length..], System.Globalization.CultureInfo.InvariantCulture);
            return column <= softnetColumns.Count ? softnetColumns[column - 1] : 0;
        }

        return mib.TryGetValue(key, out long value)
            ? value
            : throw new KeyNotFoundException($"This kernel has no MIB counter '{key}'.");
    }

    /// <summary>The column's value as the ground truth's own table says (<see cref="KernelCounterMap"/>), never as NetDrop says.</summary>
    public long Value(string column)
    {
        long total = 0;
        foreach ((int sign, string key) in KernelCounterMap.Columns[column])
        {
            total += sign * Raw(key);
        }

        return total;
    }

    public long Value(DropCategory category) => Value(category.Column);
}
