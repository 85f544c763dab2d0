using NetDrop.Kernel;
using NetDrop.Kernel.Netlink;
using NetDrop.Sampling;

namespace NetDrop.Monitoring;

/// <summary>Builds the sampler's sources from the options: which link source, and the sockets they share.</summary>
internal static class SourceFactory
{
    public static Sampler CreateSampler(MonitorOptions options, InterfaceSelector selector, InterfaceRegistry registry, SourceHealth health, TimeProvider time)
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
            ? new SysfsLinkSource(options.SysRoot, selector, registry, ringFull)
            : new NetlinkLinkSource(socket, selector, registry, ringFull);
        return new Sampler(
            new MibSource(options.ProcRoot),
            new SoftnetSource(options.ProcRoot),
            links,
            new NetlinkQdiscSource(socket),
            health,
            time,
            socket,
            ringFull);
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
            health.Report(SourceId.Ethtool, false, ex.Errno, "ethtool SIOCETHTOOL socket");
            return null;
        }
    }
}
