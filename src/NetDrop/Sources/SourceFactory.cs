using NetDrop.Kernel;
using NetDrop.Kernel.Netlink;
using NetDrop.Sources.Resilience;
using NetDrop.Configuration;

namespace NetDrop.Sources;

/// <summary>Builds the sampler's sources from the options: which link source, the sockets they share, and the order.</summary>
internal static class SourceFactory
{
    public static Sampler CreateSampler(MonitorOptions options, CounterPlan plan, InterfaceSelector selector, InterfaceRegistry registry, SourceHealth health, TimeProvider time)
    {
        NetlinkSocket socket;
        try
        {
            socket = new NetlinkSocket();
        }
        catch (KernelSourceException ex)
        {
            throw new UsageException($"cannot open an rtnetlink socket ({ex.Message}); NetDrop needs AF_NETLINK (seccomp or an old kernel may forbid it)", ex);
        }

        EthtoolRingFullSource? ringFull = options.EthtoolEnabled ? CreateRingFullSource(health) : null;
        ILinkSource links = options.LinkSource == LinkSourceKind.Sysfs
            ? new SysfsLinkSource(options.SysRoot, selector, registry)
            : new NetlinkLinkSource(socket, selector, registry);

        // Opt-in, and never fatal: refused (no privilege, no tracepoint), it is said once and left out.
        DropReasonSource? dropReasons = options.DropReasons ? DropReasonSource.TryOpen(options.SysRoot, message => health.Say(SourceEvent.Notice, "dropreasons", message)) : null;
        NamespaceCounterSource? namespaces = options.AllNamespaces
            ? new NamespaceCounterSource(plan, options.ProcRoot, NamespaceCounterSource.SamplesPerRead(options.Interval, options.NamespaceInterval))
            : null;
        ISampleSource?[] sources =
        [
            .. MibFileSource.For(plan, options.ProcRoot),
            new Snmp6Source(plan, options.ProcRoot),
            .. ProcNetStatSource.For(plan, options.ProcRoot),
            new SoftnetSource(options.ProcRoot),
            links,
            ringFull,
            new NetlinkQdiscSource(socket),
            dropReasons,
            namespaces,
        ];
        SourceRunner[] runners =
        [
            .. sources.OfType<ISampleSource>().Select(source => new SourceRunner(
                source,
                SourcePipelines.Create(source.Description, time, health.Say))),
        ];
        return new Sampler(links, runners, health, time, socket, ringFull, dropReasons, namespaces);
    }

    // Without an AF_INET socket (a seccomp profile may forbid it) ring-full counters are skipped, not fatal.
    private static EthtoolRingFullSource? CreateRingFullSource(SourceHealth health)
    {
        try
        {
            return new EthtoolRingFullSource();
        }
        catch (KernelSourceException ex)
        {
            health.Say($"ethtool statistics are unavailable ({ex.Message}); nic_missed counts rx_missed_errors only");
            return null;
        }
    }
}
