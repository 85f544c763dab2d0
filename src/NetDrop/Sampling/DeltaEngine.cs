using NetDrop.Kernel.Procfs;
using NetDrop.Model;

namespace NetDrop.Sampling;

/// <summary>
/// Turns two consecutive samples into an <see cref="IntervalReport"/>: per-series deltas (reset and wrap aware, see
/// <see cref="CounterDelta"/>), mapped onto the drop model so each kernel drop lands in one column.
/// </summary>
/// <remarks>
/// Series identity: an interface is its ifindex (a rename keeps counting; an ifindex first seen in this sample is a
/// baseline, whether the interface was created, re-created or moved in); a qdisc is ifindex + handle + parent + kind,
/// and a new instance when its bytes or packets went down (a replaced qdisc counts its own drops from zero); a CPU is
/// its id (a CPU brought online counts from zero).
/// </remarks>
internal sealed class DeltaEngine
{
    private readonly InterfaceRegistry _registry;
    private readonly SeverityPolicy _severity;

    public DeltaEngine(InterfaceRegistry registry, SeverityPolicy severity)
    {
        _registry = registry;
        _severity = severity;
    }

    /// <summary>Fills <paramref name="report"/> with the interval from <paramref name="previous"/> to <paramref name="current"/>.</summary>
    public void Compute(Sample previous, Sample current, IntervalReport report, TimeSpan elapsed)
    {
        report.Clear();
        report.IntervalSeconds = elapsed.TotalSeconds;
        ulong countedInAnotherColumn = ComputeHost(previous, current, report);
        ComputeSoftnet(previous, current, report);
        ComputeInterfaces(previous, current, report);

        ulong total = 0;
        foreach (DropCategory category in DropCategories.All)
        {
            if (category.IsDrop)
            {
                total += report[category];
            }
        }

        // Each dropped segment once: the part of a column the kernel already counted in another drop column is shown
        // in its column but left out of the total (and so of severity). It is part of that column's value, so the
        // subtraction cannot go below zero.
        report.TotalDrops = total - countedInAnotherColumn;
        report.Severity = _severity.Classify(report);
    }

    /// <returns>The drops this interval that are in two drop columns at once, to be counted once in the total.</returns>
    private static ulong ComputeHost(Sample previous, Sample current, IntervalReport report)
    {
        SetHost(report, DropCategories.SynQueue, previous, current, HostCounter.TcpReqQFullDrop);
        SetHost(report, DropCategories.AcceptQueue, previous, current, HostCounter.TcpListenOverflows);
        SetHost(report, DropCategories.TcpPruned, previous, current, HostCounter.TcpRcvPruned, HostCounter.TcpOfoPruned);
        SetHost(report, DropCategories.TcpCollapsed, previous, current, HostCounter.TcpRcvCollapsed);
        SetHost(report, DropCategories.UdpRcvbuf, previous, current, HostCounter.UdpRcvbufErrors, HostCounter.Udp6RcvbufErrors);
        SetHost(report, DropCategories.UdpSndbuf, previous, current, HostCounter.UdpSndbufErrors, HostCounter.Udp6SndbufErrors);
        SetHost(report, DropCategories.TcpBacklog, previous, current, HostCounter.TcpBacklogDrop);
        SetHost(report, DropCategories.TcpRcvQueue, previous, current, HostCounter.TcpRcvQDrop);
        SetHost(report, DropCategories.TcpZeroWindow, previous, current, HostCounter.TcpZeroWindowDrop);
        SetHost(report, DropCategories.TcpOutOfOrder, previous, current, HostCounter.TcpOfoDrop);
        SetHost(report, DropCategories.UdpMemory, previous, current, HostCounter.UdpMemErrors, HostCounter.Udp6MemErrors);
        SetHost(report, DropCategories.UdpChecksum, previous, current, HostCounter.UdpInCsumErrors, HostCounter.Udp6InCsumErrors);
        SetHost(report, DropCategories.TcpPruneCalled, previous, current, HostCounter.TcpPruneCalled);
        SetHost(report, DropCategories.SynCookies, previous, current, HostCounter.TcpReqQFullDoCookies);

        // tcp_listendrop() counts every drop of a listener in ListenDrops, including the ones already counted as
        // ListenOverflows (accept queue full) and TCPReqQFullDrop (SYN queue full, no cookies). What is left is the
        // listener's other drops (no route, no memory, ...). Subtract per interval, and never go below zero: the three
        // are read at slightly different moments of one file, so a concurrent increment can land between them.
        if (TryHostDelta(previous, current, HostCounter.TcpListenDrops, out ulong listenDrops) &&
            TryHostDelta(previous, current, HostCounter.TcpListenOverflows, out ulong overflows) &&
            TryHostDelta(previous, current, HostCounter.TcpReqQFullDrop, out ulong synQueueFull))
        {
            ulong counted = overflows + synQueueFull;
            report[DropCategories.ListenOther] = listenDrops > counted ? listenDrops - counted : 0;
        }
        else
        {
            MarkUnavailable(report, DropCategories.ListenOther);
        }

        return RcvPrunedCountedInAnotherColumn(previous, current, report);
    }

    // tcp_pruned is RcvPruned + OfoPruned, and RcvPruned never stands for a segment that no other column holds.
    // net/ipv4/tcp_input.c: tcp_prune_queue() increments RcvPruned when collapsing and pruning the out-of-order queue
    // still left the socket over its limit, and returns -1; its only caller, tcp_try_rmem_schedule(), fails, and the
    // caller that asked for room then either drops the incoming segment and counts it itself — tcp_data_queue()
    // "NET_INC_STATS(sock_net(sk), LINUX_MIB_TCPRCVQDROP); goto drop;" (tcp_rcvq), tcp_data_queue_ofo()
    // "NET_INC_STATS(sock_net(sk), LINUX_MIB_TCPOFODROP)" (tcp_ofo) — or, with an empty receive queue, queues it anyway
    // (sk_forced_mem_schedule(): nothing dropped). So one segment is RcvPruned + TCPRcvQDrop (or + TCPOFODrop), and
    // RcvPruned is left out of the total. OfoPruned stays in: tcp_prune_ofo_queue() frees segments already sitting in
    // the out-of-order queue ("tcp_drop_reason(sk, skb, SKB_DROP_REASON_TCP_OFO_QUEUE_PRUNE)"), other segments than
    // the incoming one, which no other counter holds (it counts once per pruning pass, so at least one segment each).
    private static ulong RcvPrunedCountedInAnotherColumn(Sample previous, Sample current, IntervalReport report) =>
        !report.IsUnavailable(DropCategories.TcpPruned) && TryHostDelta(previous, current, HostCounter.TcpRcvPruned, out ulong rcvPruned)
            ? rcvPruned
            : 0;

    private static void SetHost(IntervalReport report, DropCategory category, Sample previous, Sample current, HostCounter counter)
    {
        if (TryHostDelta(previous, current, counter, out ulong delta))
        {
            report[category] = delta;
        }
        else
        {
            MarkUnavailable(report, category);
        }
    }

    // IPv4 + IPv6 (or two TcpExt fields) feeding one category: each is delta'd on its own, then added.
    private static void SetHost(IntervalReport report, DropCategory category, Sample previous, Sample current, HostCounter first, HostCounter second)
    {
        if (TryHostDelta(previous, current, first, out ulong a) && TryHostDelta(previous, current, second, out ulong b))
        {
            report[category] = a + b;
        }
        else
        {
            MarkUnavailable(report, category);
        }
    }

    private static bool TryHostDelta(Sample previous, Sample current, HostCounter counter, out ulong delta)
    {
        delta = 0;
        if (!previous.TryGetHost(counter, out ulong before) || !current.TryGetHost(counter, out ulong after))
        {
            return false;
        }

        delta = CounterDelta.Compute(before, after);
        return true;
    }

    private static void ComputeSoftnet(Sample previous, Sample current, IntervalReport report)
    {
        if (!previous.IsSourceOk(SourceId.Softnet) || !current.IsSourceOk(SourceId.Softnet))
        {
            MarkUnavailable(report, DropCategories.Softirq);
            MarkUnavailable(report, DropCategories.SoftnetSqueeze);
            return;
        }

        ReadOnlySpan<SoftnetCpu> before = previous.Softnet;
        ReadOnlySpan<SoftnetCpu> after = current.Softnet;
        ulong dropped = 0, squeezed = 0;
        for (int i = 0; i < after.Length; i++)
        {
            SoftnetCpu cpu = after[i];
            int match = i < before.Length && before[i].Cpu == cpu.Cpu ? i : IndexOfCpu(before, cpu.Cpu);

            // A CPU that was not in the previous sample (brought online) starts a baseline. Its counters did not start
            // at zero: softnet_data is a static per-CPU variable (net/core/dev.c) that dev_cpu_dead() drains but never
            // resets, so a CPU back online brings every drop it counted since boot.
            SoftnetCpu old = match >= 0 ? before[match] : cpu;
            var delta = new SoftnetDelta(
                cpu.Cpu,
                CounterDelta.Compute(old.Dropped, cpu.Dropped, is32Bit: true),
                CounterDelta.Compute(old.TimeSqueeze, cpu.TimeSqueeze, is32Bit: true));
            report.Cpus.Add(delta);
            dropped += delta.Dropped;
            squeezed += delta.TimeSqueeze;
        }

        report[DropCategories.Softirq] = dropped;
        report[DropCategories.SoftnetSqueeze] = squeezed;
    }

    private static int IndexOfCpu(ReadOnlySpan<SoftnetCpu> cpus, int cpu)
    {
        for (int i = 0; i < cpus.Length; i++)
        {
            if (cpus[i].Cpu == cpu)
            {
                return i;
            }
        }

        return -1;
    }

    private void ComputeInterfaces(Sample previous, Sample current, IntervalReport report)
    {
        bool linksOk = previous.IsSourceOk(SourceId.Links) && current.IsSourceOk(SourceId.Links);
        // Qdiscs are counted for the interfaces the link source found: when it failed, an interface it could not read
        // is missing, and its qdisc drops with it, so qdisc is unavailable too rather than quietly short.
        bool qdiscOk = linksOk && previous.IsSourceOk(SourceId.Qdisc) && current.IsSourceOk(SourceId.Qdisc);
        if (!linksOk)
        {
            MarkUnavailable(report, DropCategories.NicRx);
            MarkUnavailable(report, DropCategories.NicTx);
            MarkUnavailable(report, DropCategories.NicMissed);
        }

        if (!qdiscOk)
        {
            MarkUnavailable(report, DropCategories.Qdisc);
        }

        List<InterfaceReading> interfaces = current.Interfaces;
        for (int i = 0; i < interfaces.Count; i++)
        {
            InterfaceReading now = interfaces[i];
            int before = IndexOfIfIndex(previous.Interfaces, now.IfIndex);
            if (linksOk)
            {
                ReportIdentityChange(previous, now, before, report);
            }

            // An ifindex not in the previous sample is a baseline: NetDrop cannot tell an interface created this
            // interval from one moved in from another namespace (dev_change_net_namespace keeps its counters), and
            // reporting a moved-in interface's lifetime as this interval's drops would invent them.
            bool counted = before >= 0;
            InterfaceReading old = counted ? previous.Interfaces[before] : now;
            int masterIndex = now.FoldsIntoMaster ? IndexOfIfIndex(interfaces, now.MasterIfIndex) : -1;
            ulong ringFull = linksOk ? CounterDelta.Compute(old.RingFull, now.RingFull) : 0;
            var delta = new InterfaceDelta
            {
                Series = now.Series,
                MasterSeries = masterIndex >= 0 ? interfaces[masterIndex].Series : -1,
                NicRx = linksOk ? CounterDelta.Compute(old.Counters.RxDropped, now.Counters.RxDropped) : 0,
                NicTx = linksOk ? CounterDelta.Compute(old.Counters.TxDropped, now.Counters.TxDropped) : 0,
                NicMissed = linksOk ? CounterDelta.Compute(old.Counters.RxMissedErrors, now.Counters.RxMissedErrors) + ringFull : 0,
                RingFull = ringFull,
                Qdisc = qdiscOk && counted ? QdiscDelta(previous.Qdiscs, current.Qdiscs, now.IfIndex) : 0,
            };

            if (delta.MasterSeries >= 0)
            {
                report.Slaves.Add(delta);
            }
            else
            {
                report.Interfaces.Add(delta);
            }
        }

        foreach (InterfaceReading gone in previous.Interfaces)
        {
            if (linksOk && IndexOfIfIndex(interfaces, gone.IfIndex) < 0)
            {
                report.Events.Add($"interface {_registry.NameOf(gone.Series)} disappeared (ifindex {gone.IfIndex}); skipped until it returns");
            }
        }

        // A bond's rtnl counters already fold in its slaves' (bond_get_stats() sums every slave's
        // dev_get_stats()), so nic_rx/nic_tx/rx_missed come from the master alone. Qdiscs and driver ring-full
        // counters are per device and not folded, so a slave's are added to its master's.
        ulong nicRx = 0, nicTx = 0, nicMissed = 0, qdisc = 0;
        for (int i = 0; i < report.Interfaces.Count; i++)
        {
            InterfaceDelta master = report.Interfaces[i];
            foreach (InterfaceDelta slave in report.Slaves)
            {
                if (slave.MasterSeries == master.Series)
                {
                    master.Qdisc += slave.Qdisc;
                    master.NicMissed += slave.RingFull;
                }
            }

            report.Interfaces[i] = master;
            nicRx += master.NicRx;
            nicTx += master.NicTx;
            nicMissed += master.NicMissed;
            qdisc += master.Qdisc;
        }

        report[DropCategories.NicRx] = nicRx;
        report[DropCategories.NicTx] = nicTx;
        report[DropCategories.NicMissed] = nicMissed;
        report[DropCategories.Qdisc] = qdisc;
    }

    // Rare events, so strings are fine here.
    private void ReportIdentityChange(Sample previous, in InterfaceReading now, int before, IntervalReport report)
    {
        if (before >= 0)
        {
            InterfaceReading old = previous.Interfaces[before];
            if (old.Series != now.Series)
            {
                report.Events.Add($"interface {_registry.NameOf(old.Series)} (ifindex {now.IfIndex}) was renamed to {_registry.NameOf(now.Series)}; its counts continue");
            }

            return;
        }

        int sameName = IndexOfSeries(previous.Interfaces, now.Series);
        report.Events.Add(sameName >= 0
            ? $"interface {_registry.NameOf(now.Series)} was re-created (ifindex {previous.Interfaces[sameName].IfIndex} -> {now.IfIndex}); counting from this sample"
            : $"interface {_registry.NameOf(now.Series)} appeared (ifindex {now.IfIndex}); counting from this sample");
    }

    // Only roots and ingress/clsact are in the sample (the source filters): children's drops are already in their
    // root's counter, so adding them would count a packet twice.
    private static ulong QdiscDelta(List<QdiscReading> previous, List<QdiscReading> current, int ifIndex)
    {
        ulong sum = 0;
        foreach (QdiscReading now in current)
        {
            if (now.IfIndex != ifIndex)
            {
                continue;
            }

            uint before = 0; // a qdisc added or replaced since the last sample (a new instance) counts from zero
            foreach (QdiscReading old in previous)
            {
                if (now.IsSameInstance(old))
                {
                    before = old.Drops;
                    break;
                }
            }

            sum += CounterDelta.Compute(before, now.Drops, is32Bit: true);
        }

        return sum;
    }

    private static int IndexOfSeries(List<InterfaceReading> interfaces, int series)
    {
        for (int i = 0; i < interfaces.Count; i++)
        {
            if (interfaces[i].Series == series)
            {
                return i;
            }
        }

        return -1;
    }

    private static int IndexOfIfIndex(List<InterfaceReading> interfaces, int ifIndex)
    {
        for (int i = 0; i < interfaces.Count; i++)
        {
            if (interfaces[i].IfIndex == ifIndex)
            {
                return i;
            }
        }

        return -1;
    }

    private static void MarkUnavailable(IntervalReport report, DropCategory category) =>
        report.UnavailableMask |= 1UL << category.Id;
}
