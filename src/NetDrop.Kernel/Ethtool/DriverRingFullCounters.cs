namespace NetDrop.Kernel.Ethtool;

/// <summary>
/// The driver mapping behind <c>nic_missed</c>: which <c>ethtool -S</c> counters count packets dropped because the
/// receive ring (or the NIC buffer in front of it) was full, and that the driver does NOT already fold into
/// <c>rx_missed_errors</c> or <c>rx_dropped</c> of its <c>ndo_get_stats64</c>. Only those may be added to
/// <c>rtnl_link_stats64.rx_missed_errors</c>; adding a folded counter again would count each drop twice.
/// </summary>
/// <remarks>
/// <para>Evidence is Linux 6.12 (Debian's linux-source-6.12); file and function per row.</para>
/// <code>
/// driver     add to nic_missed              why it is not in rtnl_link_stats64 already
/// mlx5_core  rx_discards_phy                en_main.c mlx5e_get_stats: only qcnt.rx_out_of_buffer -> rx_missed_errors
/// ixgbe      rx_no_dma_resources            ixgbe_main.c ixgbe_update_stats: QPRDC summed into hw_rx_no_dma_resources only
/// ice        rx_dropped.nic                 ice_main.c ice_update_vsi_stats sets net_stats.rx_missed_errors, ice_get_stats64 never copies it
/// igb        rx_queue_N_drops (summed)      igb_main.c igb_update_stats: RQDPC goes to rx_fifo_errors, not rx_missed/rx_dropped
/// vmxnet3    pkts rx OOB (every queue)      vmxnet3_ethtool.c vmxnet3_get_stats64: pktsRxOutOfBuf not used
/// gve        rx_no_buffers_posted[N] (sum)  gve_main.c gve_get_stats: packets and bytes only
/// mana       hc_rx_discards_no_wqe          mana_en.c mana_get_stats64: packets and bytes only
/// </code>
/// <para>Drivers checked that need nothing added (their ring-full drops are in rtnl already, or nowhere):</para>
/// <list type="bullet">
/// <item>virtio_net: the guest cannot see a full ring (the host drops); <c>rxN_drops</c> (virtio_net.c
/// <c>virtnet_rq_stats_desc</c>) are driver drops already summed into <c>rx_dropped</c> by <c>virtnet_stats</c>. The
/// device's own <c>drop_overruns</c> (VIRTIO_NET_F_DEVICE_STATS) reach only the netdev-genl queue stats
/// (<c>virtnet_stats_rx_basic_desc_qstat</c>), not ethtool -S.</item>
/// <item>ena: the device's keep-alive <c>rx_drops</c> becomes <c>rx_dropped</c> in <c>ena_get_stats64</c> (ena_netdev.c)
/// and is not an ethtool string; <c>queue_N_rx_empty_rx_ring</c> counts ring-empty events, not packets.</item>
/// <item>i40e: VSI <c>rx_discards</c> (GLV_RDPC, no descriptor) is <c>rx_missed_errors</c> in
/// <c>i40e_update_vsi_stats</c>; <c>port.rx_discards</c> (GLPRT_RDPC) is a port-wide total over every VSI of the PF
/// (i40e_ethtool.c: "PF_STATs ... for the physical function at the bottom of the stack hosting those netdevs"), so
/// adding it could count the same drops twice.</item>
/// <item>bnxt_en: per-ring <c>[N]: rx_discards</c> (hw <c>rx_discard_pkts</c>) is summed into <c>rx_missed_errors</c>
/// by <c>bnxt_get_ring_stats</c> (bnxt.c); <c>rx_total_ring_discards</c> is the same sum. Port-level
/// <c>rx_stat_discard</c> / <c>rx_discard_packets_cos*</c> are left out: nothing in the source shows they exclude the
/// ring discards.</item>
/// <item>hv_netvsc: a full receive buffer is dropped by the host, invisible to the guest; <c>rx_comp_busy</c> is a
/// retried completion, <c>rx_no_memory</c> an skb allocation failure (netvsc_drv.c <c>netvsc_recv_callback</c>).</item>
/// <item>iavf: <c>rx_discards</c> is copied to <c>rx_dropped</c> (iavf_virtchnl.c). veth and lo: no ring.</item>
/// </list>
/// <para>
/// Per-queue names are matched by pattern (decimal queue number) and summed. Names that merely break down a counter
/// already counted (mlx5 <c>rx_prioN_discards</c>, <c>rx_prioN_buf_discard</c>; gve <c>rx_queue_drop_cnt[N]</c>, the
/// all-reasons total of which <c>rx_no_buffers_posted[N]</c> is one reason) are deliberately not matched.
/// </para>
/// <para>
/// NOTE: port-level counters (mlx5 <c>rx_discards_phy</c>, ice <c>rx_dropped.nic</c>) count for the whole physical
/// port, i.e. for the PF netdev plus any VFs on it; they are attributed to the interface that reports them. If a later
/// kernel makes <c>ice_get_stats64</c> copy <c>rx_missed_errors</c>, the ice row must go.
/// </para>
/// </remarks>
internal static class DriverRingFullCounters
{
    // mlx5 Documentation/networking/device_drivers/ethernet/mellanox/mlx5/counters.rst: rx_discards_phy "The number of
    // received packets dropped due to lack of buffers on a physical port" (port buffer, below the vport and its
    // queues); rx_out_of_buffer ("receive queue had no software buffers") is the queue-level drop and is already
    // rtnl rx_missed_errors (en_main.c mlx5e_get_stats).
    private static readonly StatPattern[] s_mlx5Core = [StatPattern.Exact("rx_discards_phy")];

    // ixgbe_main.c ixgbe_update_stats: "adapter->hw_rx_no_dma_resources += IXGBE_READ_REG(hw, IXGBE_QPRDC(i))" (queue
    // drops when no descriptor is free) feeds only ethtool "rx_no_dma_resources" (ixgbe_ethtool.c); rtnl
    // rx_missed_errors is MPC alone (packet-buffer overflow, a separate drop point).
    private static readonly StatPattern[] s_ixgbe = [StatPattern.Exact("rx_no_dma_resources")];

    // ice_main.c ice_update_pf_stats reads PRTRPB_RDPC (receive packet buffer drops) into stats.eth.rx_discards, shown
    // as "rx_dropped.nic" (ice_ethtool.c); ice_update_vsi_stats records it as rx_missed_errors ("record drops from
    // the port level"), but ice_get_stats64 copies only rx_dropped (VSI GLV_RDPC), never rx_missed_errors. ice.rst:
    // "Check if the interface is dropping Rx packets due to buffers being full (rx_dropped.nic ...)".
    private static readonly StatPattern[] s_ice = [StatPattern.Exact("rx_dropped.nic")];

    // igb_main.c igb_update_stats: "ring->rx_stats.drops += rqdpc; net_stats->rx_fifo_errors += rqdpc;" — RQDPC (no
    // descriptor, DROP_EN set) reaches rtnl only as rx_fifo_errors, which also holds MPC; rx_missed_errors is MPC alone.
    // Per queue: ethtool "rx_queue_%u_drops" (igb_ethtool.c igb_get_strings).
    private static readonly StatPattern[] s_igb = [StatPattern.PerQueue("rx_queue_", "_drops")];

    // vmxnet3_ethtool.c vmxnet3_rq_dev_stats: "  pkts rx OOB" = UPT1_RxStats.pktsRxOutOfBuf, repeated once per rx
    // queue under the same name; vmxnet3_get_stats64 uses pktsRxError and drop_total only.
    private static readonly StatPattern[] s_vmxnet3 = [StatPattern.Exact("pkts rx OOB")];

    // gve_ethtool.c gve_gstrings_rx_stats "rx_no_buffers_posted[%u]": NIC-reported (gve_adminq.h RX_NO_BUFFERS_POSTED,
    // "stats from NIC"); gve_main.c gve_get_stats fills rx/tx packets and bytes only.
    private static readonly StatPattern[] s_gve = [StatPattern.PerQueue("rx_no_buffers_posted[", "]")];

    // mana_ethtool.c "hc_rx_discards_no_wqe" (hardware: no receive work-queue entry posted), filled by mana_en.c
    // mana_query_gf_stats; mana_get_stats64 fills packets and bytes only. mana has no get_drvinfo, so GDRVINFO
    // reports the PCI driver's name, "mana" (net/ethtool/ioctl.c ethtool_get_drvinfo; gdma_main.c).
    private static readonly StatPattern[] s_mana = [StatPattern.Exact("hc_rx_discards_no_wqe")];

    /// <summary>The GDRVINFO driver names that have at least one counter to add.</summary>
    public static IReadOnlyList<string> DriversWithExtraCounters { get; } =
        ["mlx5_core", "ixgbe", "ice", "igb", "vmxnet3", "gve", "mana"];

    /// <summary>
    /// True when <paramref name="statName"/> of a <paramref name="driver"/> device is a ring-full drop counter that
    /// belongs in <c>nic_missed</c> on top of <c>rx_missed_errors</c>.
    /// </summary>
    public static bool IsRingFullCounter(string driver, string statName)
    {
        ArgumentNullException.ThrowIfNull(statName);
        ReadOnlySpan<char> name = statName.AsSpan().Trim(' ');
        foreach (StatPattern pattern in PatternsFor(driver))
        {
            if (pattern.Matches(name))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The indices into <paramref name="names"/> to sum into <c>nic_missed</c>; computed once per
    /// <see cref="EthtoolStatistics.SchemaVersion"/>, then <see cref="Sum"/> runs allocation-free per sample.
    /// </summary>
    public static int[] SelectRingFullIndices(string driver, string[] names)
    {
        ArgumentNullException.ThrowIfNull(names);
        if (PatternsFor(driver).Length == 0)
        {
            return [];
        }

        var indices = new List<int>();
        for (int i = 0; i < names.Length; i++)
        {
            if (IsRingFullCounter(driver, names[i]))
            {
                indices.Add(i);
            }
        }

        return [.. indices];
    }

    /// <summary>Sums <paramref name="values"/> at <paramref name="indices"/> (wrapping like the kernel's u64 counters).</summary>
    public static ulong Sum(ReadOnlySpan<ulong> values, ReadOnlySpan<int> indices)
    {
        ulong total = 0;
        foreach (int index in indices)
        {
            total = unchecked(total + values[index]);
        }

        return total;
    }

    private static StatPattern[] PatternsFor(string? driver) => driver switch
    {
        "mlx5_core" => s_mlx5Core,
        "ixgbe" => s_ixgbe,
        "ice" => s_ice,
        "igb" => s_igb,
        "vmxnet3" => s_vmxnet3,
        "gve" => s_gve,
        "mana" => s_mana,
        _ => [],
    };

    /// <summary>An exact name, or prefix + decimal queue number + suffix.</summary>
    private readonly struct StatPattern
    {
        private readonly string _prefix;
        private readonly string _suffix;
        private readonly bool _perQueue;

        private StatPattern(string prefix, string suffix, bool perQueue)
        {
            _prefix = prefix;
            _suffix = suffix;
            _perQueue = perQueue;
        }

        public static StatPattern Exact(string name) => new(name, "", perQueue: false);

        public static StatPattern PerQueue(string prefix, string suffix) => new(prefix, suffix, perQueue: true);

        public bool Matches(ReadOnlySpan<char> name)
        {
            if (!_perQueue)
            {
                return name.SequenceEqual(_prefix);
            }

            if (name.Length <= _prefix.Length + _suffix.Length || !name.StartsWith(_prefix, StringComparison.Ordinal) ||
                !name.EndsWith(_suffix, StringComparison.Ordinal))
            {
                return false;
            }

            ReadOnlySpan<char> queue = name[_prefix.Length..^_suffix.Length];
            return !queue.ContainsAnyExceptInRange('0', '9');
        }
    }
}
