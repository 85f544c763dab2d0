using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace NetDrop.Tests.Faults;

/// <summary>
/// A proc/sys root built from the captured kernel (debian12-6.18) whose counters the test moves itself: sample k
/// writes every counter the drop model reads as <c>captured + base + k × step</c>, with a step per counter written in
/// <see cref="Steps"/>. So the true delta of every category over any interval is known without NetDrop's help, and a
/// counter read "since boot" (base is 10^12, or 2^28 for softnet's 32-bit columns) cannot hide in a plausible number.
/// </summary>
internal sealed partial class MutationFixtureRoot : IDisposable
{
    public const ulong Base = 1_000_000_000_000;
    public const uint SoftnetBase = 0x1000_0000;

    public const string Netstat = "proc/net/netstat";
    public const string Snmp = "proc/net/snmp";
    public const string Snmp6 = "proc/net/snmp6";
    public const string SoftnetStat = "proc/net/softnet_stat";
    public const string Eth0RxDropped = "sys/class/net/eth0/statistics/rx_dropped";
    public const string Eth0IfIndex = "sys/class/net/eth0/ifindex";

    /// <summary>How much each counter grows per sample. Everything not listed stays at its captured value.</summary>
    public static readonly Dictionary<string, ulong> Steps = new(StringComparer.Ordinal)
    {
        ["TcpExt: TCPReqQFullDrop"] = 1,
        ["TcpExt: ListenOverflows"] = 2,
        ["TcpExt: ListenDrops"] = 20,
        ["TcpExt: RcvPruned"] = 3,
        ["TcpExt: OfoPruned"] = 4,
        ["TcpExt: TCPRcvCollapsed"] = 5,
        ["TcpExt: TCPBacklogDrop"] = 1,
        ["TcpExt: TCPRcvQDrop"] = 2,
        ["TcpExt: TCPZeroWindowDrop"] = 3,
        ["TcpExt: TCPOFODrop"] = 4,
        ["TcpExt: PruneCalled"] = 5,
        ["TcpExt: TCPReqQFullDoCookies"] = 6,
        ["Udp: RcvbufErrors"] = 1,
        ["Udp: SndbufErrors"] = 2,
        ["Udp: MemErrors"] = 3,
        ["Udp: InCsumErrors"] = 4,
        ["Udp6RcvbufErrors"] = 5,
        ["Udp6SndbufErrors"] = 6,
        ["Udp6MemErrors"] = 7,
        ["Udp6InCsumErrors"] = 8,
        ["softnet cpu0 dropped"] = 2,
        ["softnet cpu1 dropped"] = 3,
        ["softnet cpu0 time_squeeze"] = 1,
        ["softnet cpu1 time_squeeze"] = 2,
        ["eth0 rx_dropped"] = 3,
        ["eth0 tx_dropped"] = 4,
        ["eth0 rx_missed_errors"] = 5,
        ["lo rx_dropped"] = 1,
        ["lo tx_dropped"] = 1,
    };

    /// <summary>
    /// The category → counters mapping, written here and not taken from NetDrop (README "The CSV"): each category's
    /// true delta per sample step. <c>listen_other</c> is ListenDrops − ListenOverflows − TCPReqQFullDrop.
    /// </summary>
    public static readonly Dictionary<string, ulong> ExpectedPerStep = WithUnsteppedColumns(new(StringComparer.Ordinal)
    {
        ["nic_rx"] = Steps["eth0 rx_dropped"] + Steps["lo rx_dropped"],
        ["nic_tx"] = Steps["eth0 tx_dropped"] + Steps["lo tx_dropped"],
        ["nic_missed"] = Steps["eth0 rx_missed_errors"],
        ["softirq"] = Steps["softnet cpu0 dropped"] + Steps["softnet cpu1 dropped"],
        ["syn_queue"] = Steps["TcpExt: TCPReqQFullDrop"],
        ["accept_queue"] = Steps["TcpExt: ListenOverflows"],
        ["tcp_pruned"] = Steps["TcpExt: RcvPruned"] + Steps["TcpExt: OfoPruned"],
        ["tcp_collapsed"] = Steps["TcpExt: TCPRcvCollapsed"],
        ["udp_rcvbuf"] = Steps["Udp: RcvbufErrors"] + Steps["Udp6RcvbufErrors"],
        ["udp_sndbuf"] = Steps["Udp: SndbufErrors"] + Steps["Udp6SndbufErrors"],
        ["tcp_backlog"] = Steps["TcpExt: TCPBacklogDrop"],
        ["tcp_rcvq"] = Steps["TcpExt: TCPRcvQDrop"],
        ["tcp_zero_window"] = Steps["TcpExt: TCPZeroWindowDrop"],
        ["tcp_ofo"] = Steps["TcpExt: TCPOFODrop"],
        ["listen_other"] = Steps["TcpExt: ListenDrops"] - Steps["TcpExt: ListenOverflows"] - Steps["TcpExt: TCPReqQFullDrop"],
        ["udp_mem"] = Steps["Udp: MemErrors"] + Steps["Udp6MemErrors"],
        ["udp_csum"] = Steps["Udp: InCsumErrors"] + Steps["Udp6InCsumErrors"],
        ["softnet_squeeze"] = Steps["softnet cpu0 time_squeeze"] + Steps["softnet cpu1 time_squeeze"],
        ["tcp_prune_called"] = Steps["TcpExt: PruneCalled"],
        ["syn_cookies"] = Steps["TcpExt: TCPReqQFullDoCookies"],
    });

    /// <summary>Files a mutation may hit: every file the fixture root's sources read, with the value the matrix aims at.</summary>
    public static readonly string[] MutableFiles = [Netstat, Snmp, Snmp6, SoftnetStat, Eth0RxDropped, Eth0IfIndex];

    // The columns added after syn_cookies read fields of the same files that no step moves: each must stay exactly 0
    // whatever a mutation does to its file (a spike there is as wrong as anywhere).
    private static Dictionary<string, ulong> WithUnsteppedColumns(Dictionary<string, ulong> stepped)
    {
        foreach (NetDrop.Model.DropCategory category in NetDrop.Model.DropCategories.Table.Skip(NetDrop.Model.DropCategories.SynCookies.Id + 1))
        {
            stepped[category.Column] = 0;
        }

        return stepped;
    }

    private static readonly string s_captured = Path.Join(AppContext.BaseDirectory, "Fixtures", "kernel");
    private static readonly string[] s_statistics =
    [
        "rx_packets", "tx_packets", "rx_bytes", "tx_bytes", "rx_errors", "tx_errors", "rx_dropped", "tx_dropped",
        "multicast", "collisions", "rx_length_errors", "rx_over_errors", "rx_crc_errors", "rx_frame_errors",
        "rx_fifo_errors", "rx_missed_errors", "tx_aborted_errors", "tx_carrier_errors", "tx_fifo_errors",
        "tx_heartbeat_errors", "tx_window_errors", "rx_compressed", "tx_compressed", "rx_nohandler",
    ];

    private readonly Dictionary<string, string> _templates = new(StringComparer.Ordinal);
    private readonly Dictionary<string, byte[]> _written = new(StringComparer.Ordinal);

    public MutationFixtureRoot()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("netdrop-mutation-").FullName;
        foreach (string file in (string[])[Netstat, Snmp, Snmp6, SoftnetStat])
        {
            _templates[file] = File.ReadAllText(Path.Join(s_captured, file));
        }

        foreach (string device in (string[])["eth0", "lo"])
        {
            _templates[$"sys/class/net/{device}/ifindex"] = File.ReadAllText(Path.Join(s_captured, $"sys/class/net/{device}/ifindex"));
            foreach (string statistic in s_statistics)
            {
                string file = $"sys/class/net/{device}/statistics/{statistic}";
                _templates[file] = File.ReadAllText(Path.Join(s_captured, file));
            }
        }
    }

    public string Directory { get; }

    public string ProcRoot => Path.Join(Directory, "proc");

    public string SysRoot => Path.Join(Directory, "sys");

    /// <summary>Writes sample <paramref name="k"/>'s good files; <paramref name="mutate"/> may replace any file's bytes.</summary>
    public void Write(int k, Func<string, Rendered, byte[]?>? mutate = null)
    {
        foreach (string file in _templates.Keys)
        {
            Rendered good = Render(file, k);
            byte[] bytes = mutate?.Invoke(file, good) ?? good.Bytes;
            if (_written.TryGetValue(file, out byte[]? last) && last.AsSpan().SequenceEqual(bytes))
            {
                continue; // PERF: most statistics never change; a loaded CI machine pays for every write
            }

            _written[file] = bytes;
            string full = Path.Join(Directory, file);
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllBytes(full, bytes);
        }
    }

    /// <summary>The good text of one file at sample k, and where its matrix target value sits.</summary>
    public Rendered Render(string file, int k)
    {
        string template = _templates[file];
        return file switch
        {
            Netstat => RenderMib(template, k, "TcpExt", "ListenOverflows"),
            Snmp => RenderMib(template, k, "Udp", "RcvbufErrors"),
            Snmp6 => RenderSnmp6(template, k, "Udp6RcvbufErrors"),
            SoftnetStat => RenderSoftnet(template, k),
            _ when file.EndsWith("/ifindex", StringComparison.Ordinal) => Whole(template),
            _ => RenderStatistic(file, template, k),
        };
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);

    private static Rendered RenderMib(string template, int k, string targetGroup, string targetName)
    {
        var text = new StringBuilder();
        (int Start, int Length) target = default;
        string[] lines = template.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            if (i % 2 == 0 || lines[i].Length == 0)
            {
                text.Append(lines[i]);
            }
            else
            {
                string[] names = lines[i - 1].Split(' ');
                string[] values = lines[i].Split(' ');
                text.Append(values[0]);
                for (int j = 1; j < values.Length; j++)
                {
                    string group = values[0].TrimEnd(':');
                    string value = Grow(values[j], $"{group}: {names[j]}", k);
                    text.Append(' ');
                    if (group == targetGroup && names[j] == targetName)
                    {
                        target = (text.Length, value.Length);
                    }

                    text.Append(value);
                }
            }

            if (i < lines.Length - 1)
            {
                text.Append('\n');
            }
        }

        return new Rendered(text.ToString(), target.Start, target.Length);
    }

    private static Rendered RenderSnmp6(string template, int k, string targetName)
    {
        var text = new StringBuilder();
        (int Start, int Length) target = default;
        foreach (string line in template.Split('\n'))
        {
            if (line.Length == 0)
            {
                continue;
            }

            int gap = line.IndexOfAny([' ', '\t']);
            string name = line[..gap];
            string padding = line[gap..(line.Length - line[gap..].TrimStart(' ', '\t').Length)];
            string value = Grow(line[(gap + padding.Length)..], name, k);
            text.Append(name).Append(padding);
            if (name == targetName)
            {
                target = (text.Length, value.Length);
            }

            text.Append(value).Append('\n');
        }

        return new Rendered(text.ToString(), target.Start, target.Length);
    }

    private static Rendered RenderSoftnet(string template, int k)
    {
        var text = new StringBuilder();
        (int Start, int Length) target = default;
        string[] rows = template.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        for (int row = 0; row < rows.Length; row++)
        {
            string[] columns = rows[row].Split(' ');
            for (int column = 0; column < columns.Length; column++)
            {
                string value = columns[column];
                string? key = column switch
                {
                    1 => $"softnet cpu{row} dropped",
                    2 => $"softnet cpu{row} time_squeeze",
                    _ => null,
                };
                if (column is 1 or 2)
                {
                    uint captured = uint.Parse(value, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
                    uint grown = checked(captured + SoftnetBase + (uint)((ulong)k * Steps.GetValueOrDefault(key!)));
                    value = grown.ToString("x8", CultureInfo.InvariantCulture);
                }

                if (column > 0)
                {
                    text.Append(' ');
                }

                if (row == 0 && column == 1)
                {
                    target = (text.Length, value.Length);
                }

                text.Append(value);
            }

            text.Append('\n');
        }

        return new Rendered(text.ToString(), target.Start, target.Length);
    }

    private static Rendered RenderStatistic(string file, string template, int k)
    {
        string device = file.Split('/')[3];
        string statistic = Path.GetFileName(file);
        string value = Grow(template.TrimEnd('\n'), $"{device} {statistic}", k);
        return new Rendered(value + "\n", 0, value.Length);
    }

    private static Rendered Whole(string template) => new(template, 0, template.TrimEnd('\n').Length);

    // A counter: captured + base + k × step. Anything that is not an unsigned number (Tcp: MaxConn -1) stays as it is.
    private static string Grow(string captured, string key, int k) =>
        ulong.TryParse(captured, NumberStyles.None, CultureInfo.InvariantCulture, out ulong value)
            ? (value + Base + (ulong)k * Steps.GetValueOrDefault(key)).ToString(CultureInfo.InvariantCulture)
            : captured;

    [GeneratedRegex("[0-9a-f]+")]
    private static partial Regex NumberToken();

    /// <summary>Offsets and lengths of every number-looking token (decimal or softnet's hex) in a file.</summary>
    public static List<(int Start, int Length)> NumberTokens(string text) =>
        [.. NumberToken().Matches(text).Where(match => IsWord(text, match)).Select(match => (match.Index, match.Length))];

    private static bool IsWord(string text, Match match) =>
        (match.Index == 0 || !char.IsLetterOrDigit(text[match.Index - 1])) &&
        (match.Index + match.Length == text.Length || !char.IsLetterOrDigit(text[match.Index + match.Length]));

    /// <summary>One file's good text and the byte range of the value the matrix mutates.</summary>
    internal sealed record Rendered(string Text, int TargetStart, int TargetLength)
    {
        public byte[] Bytes => Encoding.ASCII.GetBytes(Text);
    }
}
