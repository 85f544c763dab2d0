using NetDrop.Kernel.Procfs;
using NetDrop.Model;

namespace NetDrop.Sampling;

/// <summary>
/// Turns two consecutive samples into an <see cref="IntervalReport"/>: per-series deltas (reset and wrap aware, see
/// <see cref="CounterDelta"/>), mapped onto the drop model so each kernel drop lands in one column.
/// </summary>
/// <remarks>
/// Series identity: an interface is its name plus ifindex (a re-created interface is a reset, not a spike); a qdisc
/// is ifindex + handle + parent (a replaced qdisc is a new series); a CPU is its id. A series that appears between
/// two samples counts its whole value: everything it counted happened since the previous sample.
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
        ComputeHost(previous, current, report);
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

        report.TotalDrops = total;
        report.Severity = _severity.Classify(report);
    }

    private static void ComputeHost(Sample previous, Sample current, IntervalReport report)
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
    }

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
        bool qdiscOk = previous.IsSourceOk(SourceId.Qdisc) && current.IsSourceOk(SourceId.Qdisc);
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
            int masterIndex = now.MasterIfIndex == 0 ? -1 : IndexOfIfIndex(interfaces, now.MasterIfIndex);
            int before = IndexOfSeries(previous.Interfaces, now.Series);
            bool sameDevice = before >= 0 && previous.Interfaces[before].IfIndex == now.IfIndex;
            if (before < 0 && linksOk)
            {
                report.Events.Add($"interface {_registry.NameOf(now.Series)} appeared (ifindex {now.IfIndex})");
            }
            else if (before >= 0 && !sameDevice)
            {
                report.Events.Add($"interface {_registry.NameOf(now.Series)} was re-created (ifindex {previous.Interfaces[before].IfIndex} -> {now.IfIndex}); its counters restart");
            }

            // A series that appeared (or was re-created) since the last sample counts from zero.
            InterfaceReading old = sameDevice ? previous.Interfaces[before] : default;
            var delta = new InterfaceDelta
            {
                Series = now.Series,
                MasterSeries = masterIndex >= 0 ? interfaces[masterIndex].Series : -1,
                NicRx = linksOk ? CounterDelta.Compute(old.Counters.RxDropped, now.Counters.RxDropped) : 0,
                NicTx = linksOk ? CounterDelta.Compute(old.Counters.TxDropped, now.Counters.TxDropped) : 0,
                NicMissed = linksOk
                    ? CounterDelta.Compute(old.Counters.RxMissedErrors, now.Counters.RxMissedErrors) + CounterDelta.Compute(old.RingFull, now.RingFull)
                    : 0,
                Qdisc = qdiscOk ? QdiscDelta(previous.Qdiscs, current.Qdiscs, now.IfIndex) : 0,
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
            if (linksOk && IndexOfSeries(interfaces, gone.Series) < 0)
            {
                report.Events.Add($"interface {_registry.NameOf(gone.Series)} disappeared; skipped until it returns");
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
                    master.NicMissed += RingFullOnly(previous, current, slave.Series);
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

    private static ulong RingFullOnly(Sample previous, Sample current, int series)
    {
        int now = IndexOfSeries(current.Interfaces, series);
        int before = IndexOfSeries(previous.Interfaces, series);
        ulong after = now >= 0 ? current.Interfaces[now].RingFull : 0;
        bool sameDevice = before >= 0 && now >= 0 && previous.Interfaces[before].IfIndex == current.Interfaces[now].IfIndex;
        return CounterDelta.Compute(sameDevice ? previous.Interfaces[before].RingFull : 0, after);
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

            uint before = 0; // a qdisc added or replaced since the last sample counts from zero
            foreach (QdiscReading old in previous)
            {
                if (old.IfIndex == now.IfIndex && old.Handle == now.Handle && old.Parent == now.Parent)
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
