using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using NetDrop.Tests.GroundTruth;

namespace NetDrop.Tests.TestSupport;

/// <summary>
/// An independent, deliberately simple reader of the kernel's own counters inside a namespace, for ground truth. It
/// forks the same tools an operator would (<c>ip netns exec NS cat ...</c>, <c>tc -s -j qdisc show</c>) and parses
/// their text with naive string splitting; it shares no code with NetDrop's readers.
/// <code>
/// /proc/net/netstat, /proc/net/snmp   TcpExt: SyncookiesSent SyncookiesRecv ...  /  TcpExt: 0 0 ...   (header/value pairs)
/// /proc/net/snmp6                     Udp6RcvbufErrors                	1998
/// /proc/net/softnet_stat              0000463f 00000000 00000001 ...    (hex, one line per CPU; not per namespace)
/// /sys/class/net/IF/statistics/X      the rtnl_link_stats64 field X as a decimal line
/// tc -s -j qdisc show dev IF          [{"kind":"tbf","handle":"8001:","root":true,...,"drops":495,...}]
/// </code>
/// </summary>
internal sealed class KernelCounterOracle(NetworkNamespace networkNamespace, string interfaceName)
{
    private static readonly string[] s_linkStatistics = [.. KernelCounterMap.LinkStatistics];

    /// <summary>How long <see cref="WaitForCounts"/> waits for the kernel to count what an inducer witnessed.</summary>
    private static readonly TimeSpan s_countTimeout = TimeSpan.FromSeconds(30);

    public KernelCounterSnapshot Read()
    {
        var mib = new Dictionary<string, long>(StringComparer.Ordinal);
        AddHeaderValuePairs(mib, networkNamespace.Exec("cat", "/proc/net/netstat"));
        AddHeaderValuePairs(mib, networkNamespace.Exec("cat", "/proc/net/snmp"));
        AddNameValueLines(mib, networkNamespace.Exec("cat", "/proc/net/snmp6"));
        AddStatTable(mib, "nf_conntrack", networkNamespace.Exec("cat", "/proc/net/stat/nf_conntrack"));

        // The neighbour tables exist in the initial namespace only and count for every namespace: read the host's.
        AddStatTable(mib, "arp_cache", File.ReadAllText("/proc/net/stat/arp_cache"));
        AddStatTable(mib, "ndisc_cache", File.ReadAllText("/proc/net/stat/ndisc_cache"));

        long[] softnetColumns = SumHexColumns(networkNamespace.Exec("cat", "/proc/net/softnet_stat"));

        string statisticsDirectory = $"/sys/class/net/{interfaceName}/statistics/";
        string[] linkValues = SplitLines(networkNamespace.Exec(
            ["cat", .. s_linkStatistics.Select(name => statisticsDirectory + name)]));
        var link = new Dictionary<string, long>(StringComparer.Ordinal);
        for (int i = 0; i < s_linkStatistics.Length; i++)
        {
            link[s_linkStatistics[i]] = ParseDecimal(linkValues[i]);
        }

        string qdiscJson = ToolRunner.Run("tc", "-n", networkNamespace.Name, "-s", "-j", "qdisc", "show", "dev", interfaceName);
        (long topLevelDrops, long everyQdiscDrops) = SumQdiscDrops(qdiscJson);
        return new KernelCounterSnapshot(mib, softnetColumns, link, topLevelDrops, everyQdiscDrops);
    }

    /// <summary>
    /// Reads the counters, runs <paramref name="induce"/>, then reads again until every column the inducer witnessed
    /// has reached its witnessed count (or passed it, which the caller's equality assertion then reports), or until a
    /// generous timeout on a stalled machine. Frames crossing a veth are counted in the receiver's softirq, after the
    /// sender's call returned, so a fixed pause would be a guess; this waits for the kernel, never for a clock.
    /// </summary>
    public (DropWitness Witness, KernelCounterDelta Delta) Measure(Func<DropWitness> induce)
    {
        KernelCounterSnapshot before = Read();
        DropWitness witness = induce();
        return (witness, WaitForCounts(before, witness.Counts));
    }

    /// <summary>Reads until every column of <paramref name="expected"/> has moved at least that far since <paramref name="before"/>.</summary>
    public KernelCounterDelta WaitForCounts(KernelCounterSnapshot before, IReadOnlyDictionary<string, long> expected)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var delta = new KernelCounterDelta(before, Read());
            if (expected.All(pair => delta[pair.Key] >= pair.Value) || clock.Elapsed > s_countTimeout)
            {
                return delta;
            }

            Thread.Sleep(20);
        }
    }

    /// <summary>/proc/net/netstat and /proc/net/snmp: a "Group: names" line followed by a "Group: values" line.</summary>
    private static void AddHeaderValuePairs(Dictionary<string, long> mib, string content)
    {
        string[] lines = SplitLines(content);
        for (int i = 0; i + 1 < lines.Length; i += 2)
        {
            string[] names = lines[i].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            string[] values = lines[i + 1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (names[0] != values[0] || names.Length != values.Length)
            {
                throw new FormatException($"Unpaired MIB lines: '{lines[i]}' / '{lines[i + 1]}'");
            }

            string group = names[0].TrimEnd(':');
            for (int column = 1; column < names.Length; column++)
            {
                // Signed: snmp's "Tcp: MaxConn" is -1.
                mib[group + ":" + names[column]] = long.Parse(values[column], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            }
        }
    }

    /// <summary>/proc/net/snmp6: "Udp6RcvbufErrors   1998", one counter per line; the names carry their group.</summary>
    private static void AddNameValueLines(Dictionary<string, long> mib, string content)
    {
        foreach (string line in SplitLines(content))
        {
            string[] fields = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            mib[fields[0]] = ParseDecimal(fields[1]);
        }
    }

    /// <summary>/proc/net/stat/TABLE: a header of names, then one line of hex values per CPU; "TABLE:name" is the sum.</summary>
    private static void AddStatTable(Dictionary<string, long> mib, string table, string content)
    {
        string[] lines = SplitLines(content);
        string[] names = lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        foreach (string line in lines.Skip(1))
        {
            string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            for (int i = 0; i < names.Length; i++)
            {
                string key = table + ":" + names[i];
                mib[key] = mib.GetValueOrDefault(key) + long.Parse(fields[i], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
            }
        }
    }

    /// <summary>/proc/net/softnet_stat: hex columns, one line per online CPU, summed per column.</summary>
    private static long[] SumHexColumns(string content)
    {
        var sums = new List<long>();
        foreach (string line in SplitLines(content))
        {
            string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            for (int column = 0; column < fields.Length; column++)
            {
                if (sums.Count <= column)
                {
                    sums.Add(0);
                }

                sums[column] += long.Parse(fields[column], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
            }
        }

        return [.. sums];
    }

    /// <summary>
    /// Sums the drops of the interface's top-level qdiscs: roots (<c>"root": true</c>) plus ingress/clsact (parent
    /// <c>ffff:fff1</c>). A classful root already counts what its children drop (tbf_enqueue() bumps its own
    /// qstats.drops when the child refuses a packet), so adding children would count packets twice; the sum over
    /// every qdisc is returned too, so tests can show the difference is real.
    /// </summary>
    private static (long TopLevel, long Every) SumQdiscDrops(string json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        long topLevel = 0;
        long every = 0;
        foreach (JsonElement qdisc in document.RootElement.EnumerateArray())
        {
            long drops = qdisc.GetProperty("drops").GetInt64();
            bool isRoot = qdisc.TryGetProperty("root", out JsonElement root) && root.ValueKind == JsonValueKind.True;
            bool isIngress = qdisc.TryGetProperty("parent", out JsonElement parent) && parent.GetString() == "ffff:fff1";
            topLevel += isRoot || isIngress ? drops : 0;
            every += drops;
        }

        return (topLevel, every);
    }

    private static long ParseDecimal(string text) => long.Parse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture);

    private static string[] SplitLines(string content) => content.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
