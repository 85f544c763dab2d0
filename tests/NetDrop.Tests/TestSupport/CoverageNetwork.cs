namespace NetDrop.Tests.TestSupport;

/// <summary>
/// Two fresh namespaces joined by one veth pair, for inducing drops below the socket layer (routing, rp_filter,
/// neighbour resolution, reassembly, IP header checks, protocol dispatch) and reading the receiving kernel's counters.
/// <code>
///  [Sender]  cv-s 10.201.0.1/24  ── veth ──  cv-r 10.201.0.2/24  [Receiver]
///            static neighbour for .2                  static neighbour for .1
///            no default route                          no default route, ip_forward 0, rp_filter 0 (the defaults)
/// </code>
/// IPv6 is off on both ends (no router solicitations, DAD or MLD of their own), and each end knows the other's MAC from
/// a permanent neighbour entry, so no ARP crosses the veth: everything the receiver counts is a frame a test sent.
/// Both namespaces are deleted on dispose, with the veth.
/// </summary>
public sealed class CoverageNetwork : IDisposable
{
    public const string SenderInterface = "cv-s";
    public const string ReceiverInterface = "cv-r";
    public const string SenderAddress = "10.201.0.1";
    public const string ReceiverAddress = "10.201.0.2";
    public const int PrefixLength = 24;

    public CoverageNetwork()
    {
        try
        {
            Sender = NetworkNamespace.Create();
            Receiver = NetworkNamespace.Create();
            Sender.Ip("link", "set", "lo", "up");
            Receiver.Ip("link", "set", "lo", "up");
            Sender.Ip("link", "add", SenderInterface, "type", "veth", "peer", "name", ReceiverInterface, "netns", Receiver.Name);
            Sender.WriteSysctl($"net/ipv6/conf/{SenderInterface}/disable_ipv6", "1");
            Receiver.WriteSysctl($"net/ipv6/conf/{ReceiverInterface}/disable_ipv6", "1");
            Sender.Ip("address", "add", $"{SenderAddress}/{PrefixLength}", "dev", SenderInterface);
            Receiver.Ip("address", "add", $"{ReceiverAddress}/{PrefixLength}", "dev", ReceiverInterface);
            Sender.Ip("link", "set", SenderInterface, "up");
            Receiver.Ip("link", "set", ReceiverInterface, "up");

            SenderMac = Sender.Exec("cat", $"/sys/class/net/{SenderInterface}/address").Trim();
            ReceiverMac = Receiver.Exec("cat", $"/sys/class/net/{ReceiverInterface}/address").Trim();
            Sender.Ip("neighbour", "replace", ReceiverAddress, "lladdr", ReceiverMac, "dev", SenderInterface, "nud", "permanent");
            Receiver.Ip("neighbour", "replace", SenderAddress, "lladdr", SenderMac, "dev", ReceiverInterface, "nud", "permanent");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public NetworkNamespace Sender { get; } = null!;

    public NetworkNamespace Receiver { get; } = null!;

    /// <summary>The sender end's MAC, <c>aa:bb:cc:dd:ee:ff</c>.</summary>
    public string SenderMac { get; } = "";

    /// <summary>The receiver end's MAC, <c>aa:bb:cc:dd:ee:ff</c>.</summary>
    public string ReceiverMac { get; } = "";

    /// <summary>Reads one rtnl_link_stats64 field of the receiver end from its sysfs (through <c>ip netns exec</c>, which mounts the namespace's /sys).</summary>
    public long ReceiverLinkStatistic(string name) =>
        long.Parse(Receiver.Exec("cat", $"/sys/class/net/{ReceiverInterface}/statistics/{name}").Trim(), System.Globalization.CultureInfo.InvariantCulture);

    public void Dispose()
    {
        Sender?.Dispose();
        Receiver?.Dispose();
    }
}
