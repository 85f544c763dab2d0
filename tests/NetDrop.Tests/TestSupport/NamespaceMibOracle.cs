using System.Globalization;
using NetDrop.Tests.GroundTruth;

namespace NetDrop.Tests.TestSupport;

/// <summary>
/// The ground truth's reader of one network namespace's own MIB counters, by a task in it: <c>/proc/PID/net/netstat</c>,
/// <c>snmp</c> and <c>snmp6</c> (or <c>/proc/thread-self/net/*</c> from a thread inside a named namespace), parsed with
/// naive string splitting and sharing no code with NetDrop. A CSV column's value comes from the test's own table,
/// <see cref="KernelCounterMap"/>.
/// <code>
/// netstat, snmp   TcpExt: SyncookiesSent SyncookiesRecv ...  /  TcpExt: 0 0 ...   (header/value line pairs)
/// snmp6           Udp6RcvbufErrors                	1998                         (one counter per line)
/// </code>
/// </summary>
internal static class NamespaceMibOracle
{
    // The groups of net/netstat and net/snmp (net/ipv4/proc.c: netstat_seq_show, snmp_seq_show): all per namespace
    // (struct net's mib). snmp6 counters carry no group (net/ipv6/proc.c: snmp6_seq_show).
    private static readonly HashSet<string> s_mibGroups = new(StringComparer.Ordinal)
    {
        "TcpExt", "IpExt", "MPTcpExt", "TlsExt", "Ip", "Icmp", "IcmpMsg", "Tcp", "Udp", "UdpLite",
    };

    /// <summary>
    /// The CSV columns every network namespace has its own of: those whose every counter in
    /// <see cref="KernelCounterMap"/> is a netstat/snmp/snmp6 one (not an interface's, softnet's, conntrack's or the
    /// host-wide neighbour tables').
    /// </summary>
    public static IReadOnlyList<string> NamespaceColumns { get; } =
    [
        .. KernelCounterMap.Columns.Where(column => column.Value.All(term => IsMibKey(term.Key))).Select(column => column.Key),
    ];

    /// <summary>The raw counters of the namespace task <paramref name="pid"/> is in (the test is root; any user could).</summary>
    public static IReadOnlyDictionary<string, long> ReadTask(int pid) =>
        Read(file => File.ReadAllText(string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}/net/{file}")));

    /// <summary>The raw counters of a named namespace, read from a thread inside it.</summary>
    public static IReadOnlyDictionary<string, long> Read(NetworkNamespace networkNamespace) =>
        networkNamespace.Run(() => Read(file => File.ReadAllText("/proc/thread-self/net/" + file)));

    /// <summary>A column's value in one reading, as <see cref="KernelCounterMap"/> says.</summary>
    public static long Column(IReadOnlyDictionary<string, long> raw, string column) =>
        KernelCounterMap.Columns[column].Sum(term => term.Sign * (raw.TryGetValue(term.Key, out long value)
            ? value
            : throw new KeyNotFoundException($"This kernel's namespace MIB files have no '{term.Key}'.")));

    /// <summary>Every <see cref="NamespaceColumns"/> column's change between two readings.</summary>
    public static Dictionary<string, long> Delta(IReadOnlyDictionary<string, long> before, IReadOnlyDictionary<string, long> after) =>
        NamespaceColumns.ToDictionary(column => column, column => Column(after, column) - Column(before, column), StringComparer.Ordinal);

    private static bool IsMibKey(string key)
    {
        int colon = key.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 || s_mibGroups.Contains(key[..colon]);
    }

    private static Dictionary<string, long> Read(Func<string, string> readFile)
    {
        var raw = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (string file in new[] { "netstat", "snmp" })
        {
            string[] lines = readFile(file).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            for (int i = 0; i + 1 < lines.Length; i += 2)
            {
                string[] names = lines[i].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                string[] values = lines[i + 1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (names[0] != values[0] || names.Length != values.Length)
                {
                    throw new FormatException($"Unpaired lines in {file}: '{lines[i]}' / '{lines[i + 1]}'");
                }

                for (int column = 1; column < names.Length; column++)
                {
                    // Signed: snmp's "Tcp: MaxConn" is -1.
                    raw[names[0].TrimEnd(':') + ":" + names[column]] = long.Parse(values[column], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
                }
            }
        }

        foreach (string line in readFile("snmp6").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] fields = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            raw[fields[0]] = long.Parse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture);
        }

        return raw;
    }
}
