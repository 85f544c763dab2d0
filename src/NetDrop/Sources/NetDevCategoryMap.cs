using NetDrop.Kernel.Namespaces;
using NetDrop.Model;

namespace NetDrop.Sources;

/// <summary>
/// Which interface categories another namespace's <c>net/dev</c> can express, and from which of its columns: the only
/// per-interface source for a pod's own interfaces (the pod side of a veth), since sysfs and rtnetlink show the agent's
/// namespace. Derived once from the category rows' terms, so a row that changes its counters changes (or loses) its
/// mapping here instead of being read from the wrong column.
/// </summary>
/// <remarks>
/// <para>
/// <c>dev_seq_printf_stats()</c> (net/core/net-procfs.c) prints sums of <c>rtnl_link_stats64</c> fields, not the fields:
/// <code>
/// rx: errs = rx_errors, drop = rx_dropped + rx_missed_errors, fifo = rx_fifo_errors,
///     frame = rx_length_errors + rx_over_errors + rx_crc_errors + rx_frame_errors
/// tx: errs = tx_errors, drop = tx_dropped, fifo = tx_fifo_errors, colls = collisions,
///     carrier = tx_carrier_errors + tx_aborted_errors + tx_window_errors + tx_heartbeat_errors
/// </code>
/// A category is expressed by a column when its terms are link fields only, all added, and they are exactly the
/// column's fields. One field is let through: <c>rx_missed_errors</c> (the NIC's RX ring was full) is set by drivers of
/// hardware with a ring only; the devices a pod gets its network through never set it (<c>veth_get_stats64()</c>,
/// <c>macvlan_dev_get_stats64()</c>, <c>ipvlan_get_stats64()</c> fill rx/tx bytes, packets, errors and dropped; and
/// <c>dev_get_stats()</c> adds only the core's <c>rx_dropped</c>, <c>tx_dropped</c>, <c>rx_nohandler</c>,
/// <c>rx_otherhost_dropped</c>), so "drop" is <c>nic_rx</c>'s <c>rx_dropped</c> there. NOTE: an SR-IOV VF moved into a
/// pod would have its ring-full drops in that pod's <c>nic_rx</c> rather than <c>nic_missed</c>: still one drop, once.
/// </para>
/// <para>
/// With today's rows: <c>nic_rx</c> ← rx drop, <c>nic_tx</c> ← tx drop. <c>nic_missed</c> (also the driver's ethtool
/// ring-full counters), <c>qdisc</c> (RTM_GETQDISC), <c>nic_nohandler</c> (not printed) and <c>nic_rx_errors</c> (the
/// frame column adds <c>rx_over_errors</c>) are not expressible: absent for pod interfaces, never 0.
/// </para>
/// </remarks>
internal sealed class NetDevCategoryMap
{
    private static readonly string[] s_tolerated = ["rx_missed_errors"];

    // Column of NetDevCounters (its field order is the file's) and the rtnl_link_stats64 fields dev_seq_printf_stats() sums into it.
    private static readonly (int Column, string[] Fields)[] s_columns =
    [
        (2, ["rx_errors"]),
        (3, ["rx_dropped", "rx_missed_errors"]),
        (4, ["rx_fifo_errors"]),
        (5, ["rx_length_errors", "rx_over_errors", "rx_crc_errors", "rx_frame_errors"]),
        (10, ["tx_errors"]),
        (11, ["tx_dropped"]),
        (12, ["tx_fifo_errors"]),
        (13, ["collisions"]),
        (14, ["tx_carrier_errors", "tx_aborted_errors", "tx_window_errors", "tx_heartbeat_errors"]),
    ];

    private readonly int[] _columnBySlot;
    private readonly DropCategory[] _categories;

    public NetDevCategoryMap(DropCategoryTable table)
    {
        Table = table;
        _columnBySlot = new int[table.InterfaceCategoryCount];
        var categories = new List<DropCategory>();
        foreach (DropCategory category in table)
        {
            int slot = table.InterfaceSlotOf(category);
            if (slot < 0)
            {
                continue;
            }

            _columnBySlot[slot] = ColumnOf(category);
            if (_columnBySlot[slot] >= 0)
            {
                categories.Add(category);
            }
        }

        _categories = [.. categories];
    }

    public DropCategoryTable Table { get; }

    /// <summary>The interface categories a pod's <c>net/dev</c> expresses, in table order (a span: enumerated every sample, PERF).</summary>
    public ReadOnlySpan<DropCategory> Categories => _categories;

    /// <summary>Whether <paramref name="category"/> is read from pod interfaces.</summary>
    public bool Expresses(DropCategory category)
    {
        int slot = Table.InterfaceSlotOf(category);
        return slot >= 0 && _columnBySlot[slot] >= 0;
    }

    /// <summary>The counter of <paramref name="counters"/> that expresses the interface category at <paramref name="slot"/>; false when none does.</summary>
    public bool TryGetValue(int slot, in NetDevCounters counters, out ulong value)
    {
        int column = _columnBySlot[slot];
        value = column >= 0 ? ValueAt(counters, column) : 0;
        return column >= 0;
    }

    private static int ColumnOf(DropCategory category)
    {
        var fields = new HashSet<string>(StringComparer.Ordinal);
        foreach (CounterTerm term in category.Counters.Terms)
        {
            if (term.Counter.Source != CounterSource.Link || term.Subtracted)
            {
                return -1;
            }

            fields.Add(term.Counter.Name);
        }

        foreach ((int column, string[] columnFields) in s_columns)
        {
            var printed = new HashSet<string>(columnFields, StringComparer.Ordinal);
            printed.ExceptWith(s_tolerated.Where(field => !fields.Contains(field)));
            if (printed.SetEquals(fields))
            {
                return column;
            }
        }

        return -1;
    }

    private static ulong ValueAt(in NetDevCounters counters, int column) => column switch
    {
        2 => counters.ReceiveErrors,
        3 => counters.ReceiveDropped,
        4 => counters.ReceiveFifoErrors,
        5 => counters.ReceiveFrameErrors,
        10 => counters.TransmitErrors,
        11 => counters.TransmitDropped,
        12 => counters.TransmitFifoErrors,
        13 => counters.Collisions,
        _ => counters.CarrierErrors,
    };
}
