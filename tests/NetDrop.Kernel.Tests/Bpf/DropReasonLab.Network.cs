using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace NetDrop.Kernel.Tests.Bpf;

/// <summary>Inducers below the socket layer, across a <see cref="DropReasonNetwork"/>, and the oracles they are checked with.</summary>
internal static partial class DropReasonLab
{
    private static readonly TimeSpan s_loopTimeLimit = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Sends <paramref name="datagrams"/> UDP datagrams of 32 bytes from <paramref name="source"/> (null: the route's
    /// choice) to <paramref name="destination"/>:9 inside <paramref name="ns"/>; returns how many sendto calls
    /// succeeded. Bounded in count and in time.
    /// </summary>
    public static int SendUdp(NetworkNamespace ns, IPAddress? source, IPAddress destination, int datagrams)
    {
        return ns.Run(() =>
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            if (source is not null)
            {
                socket.Bind(new IPEndPoint(source, 0));
            }

            var target = new IPEndPoint(destination, 9);
            byte[] payload = new byte[32];
            int sent = 0;
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < datagrams && clock.Elapsed < s_loopTimeLimit; i++)
            {
                if (socket.SendTo(payload, target) == payload.Length)
                {
                    sent++;
                }
            }

            return sent;
        });
    }

    /// <summary>A MIB counter of the namespace (<c>/proc/net/netstat</c> or <c>snmp</c> as a thread inside it sees them).</summary>
    public static ulong NamespaceMib(NetworkNamespace ns, string file, string group, string name) =>
        ns.Run(() => TestSupport.ProcNetOracle.MibValue("/proc/thread-self/net/" + file, group, name));

    /// <summary>
    /// A column of <c>/proc/net/stat/arp_cache</c> summed over its per-CPU lines (hex, net/core/neighbour.c
    /// <c>neigh_stat_seq_show</c>), read naively here rather than by NetDrop's reader. The table's statistics are
    /// one per-CPU struct for every namespace of the host (neigh_table_init()), and the file exists in the initial
    /// namespace only: a host-wide count that other tests may move too.
    /// </summary>
    public static ulong HostArpCache(string column)
    {
        string[] lines = File.ReadAllLines("/proc/net/stat/arp_cache");
        int index = Array.IndexOf(lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries), column);
        if (index < 0)
        {
            throw new KeyNotFoundException($"{column} not in /proc/net/stat/arp_cache: {lines[0]}");
        }

        ulong sum = 0;
        foreach (string line in lines.Skip(1))
        {
            sum += ulong.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[index], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
        }

        return sum;
    }
}
