using System.Text.RegularExpressions;
using NetDrop.Model;

namespace NetDrop.Tests.TestSupport;

/// <summary>
/// One reading of the kernel's counters by <see cref="KernelCounterOracle"/>. A category's value is computed by
/// interpreting its <see cref="DropCategory.Source"/> text literally, so the catalogue's documentation becomes the
/// specification the monitor is checked against: a Source this class cannot interpret fails the tests.
/// </summary>
internal sealed partial class KernelCounterSnapshot(
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

    /// <summary>The category's value as its Source describes it (a sum or difference of raw counters).</summary>
    public long Value(DropCategory category)
    {
        long total = 0;
        foreach ((int sign, string key) in Terms(category.Source))
        {
            total += sign * Raw(key);
        }

        return total;
    }

    /// <summary>
    /// Translates a catalogue Source into signed raw-counter keys:
    /// <list type="bullet">
    /// <item><c>TcpExt: ListenDrops - ListenOverflows - TCPReqQFullDrop</c> → +TcpExt:ListenDrops, −TcpExt:ListenOverflows, …</item>
    /// <item><c>Udp: RcvbufErrors + Udp6RcvbufErrors</c> → +Udp:RcvbufErrors, +Udp6RcvbufErrors (snmp6 names carry their group)</item>
    /// <item><c>/proc/net/softnet_stat column 2, all CPUs</c> → +softnet:2</item>
    /// <item><c>rtnl_link_stats64.rx_missed_errors + driver ring-full counters (ethtool)</c> → +link:rx_missed_errors</item>
    /// <item><c>RTM_GETQDISC root qdiscs, ...</c> → +qdisc:drops</item>
    /// </list>
    /// </summary>
    public static IReadOnlyList<(int Sign, string Key)> Terms(string source)
    {
        Match softnet = SoftnetSource().Match(source);
        if (softnet.Success)
        {
            return [(1, "softnet:" + softnet.Groups[1].Value)];
        }

        if (source.StartsWith("RTM_GETQDISC root qdiscs", StringComparison.Ordinal))
        {
            return [(1, "qdisc:drops")];
        }

        if (source.StartsWith("rtnl_link_stats64.", StringComparison.Ordinal))
        {
            var linkTerms = new List<(int, string)>();
            foreach (string term in source.Split(" + "))
            {
                if (term.StartsWith("rtnl_link_stats64.", StringComparison.Ordinal))
                {
                    linkTerms.Add((1, "link:" + term["rtnl_link_stats64.".Length..]));
                }
                else if (!term.Contains("(ethtool)", StringComparison.Ordinal))
                {
                    throw new NotSupportedException($"The oracle cannot interpret '{term}' in Source '{source}'.");
                }

                // NOTE: ethtool driver ring-full counters are not read: the ground truth runs on veth, whose only
                // ethtool stats are per-queue XDP counters (veth_get_ethtool_stats, drivers/net/veth.c) and no ring.
            }

            return linkTerms;
        }

        Match mib = MibSource().Match(source);
        if (mib.Success)
        {
            string group = mib.Groups[1].Value;
            var mibTerms = new List<(int, string)>();
            int sign = 1;
            foreach (string token in mib.Groups[2].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                switch (token)
                {
                    case "+":
                        sign = 1;
                        break;
                    case "-":
                        sign = -1;
                        break;
                    default:
                        mibTerms.Add((sign, Snmp6Name().IsMatch(token) ? token : group + ":" + token));
                        break;
                }
            }

            return mibTerms;
        }

        throw new NotSupportedException($"The oracle cannot interpret Source '{source}'.");
    }

    [GeneratedRegex(@"^/proc/net/softnet_stat column (\d+), all CPUs$")]
    private static partial Regex SoftnetSource();

    [GeneratedRegex(@"^([A-Za-z]+): ([A-Za-z0-9]+(?: [+-] [A-Za-z0-9]+)*)$")]
    private static partial Regex MibSource();

    [GeneratedRegex(@"^(Ip6|Icmp6|Udp6|UdpLite6)[A-Za-z0-9]+$")]
    private static partial Regex Snmp6Name();
}
