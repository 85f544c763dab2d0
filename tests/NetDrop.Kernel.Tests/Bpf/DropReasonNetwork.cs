using System.Globalization;

namespace NetDrop.Kernel.Tests.Bpf;

/// <summary>
/// Two fresh namespaces of the test's own joined by one veth pair, for drops below the socket layer:
/// <code>
///  [Sender]  dr-s 10.215.0.1/24  ── veth ──  dr-r 10.215.0.2/24  [Receiver]
///            permanent neighbour for .2                permanent neighbour for .1
/// </code>
/// No default route on either side; IPv6 off on both ends (no router solicitations, DAD or MLD of their own). Each end
/// knows the other's MAC, so no ARP crosses the veth unless a test sends to an address nobody holds. Deleted, with
/// the veth, on dispose.
/// </summary>
internal sealed class DropReasonNetwork : IDisposable
{
    public const string SenderInterface = "dr-s";
    public const string ReceiverInterface = "dr-r";
    public const string SenderAddress = "10.215.0.1";
    public const string ReceiverAddress = "10.215.0.2";

    /// <summary>An address on the veth's subnet that nobody holds: ARP for it is never answered.</summary>
    public const string AbsentNeighbour = "10.215.0.77";

    public DropReasonNetwork()
    {
        try
        {
            Sender = NetworkNamespace.Create("ndabpfs");
            Receiver = NetworkNamespace.Create("ndabpfr");
            Sender.Ip("link", "add", SenderInterface, "type", "veth", "peer", "name", ReceiverInterface, "netns", Receiver.Name);
            Sender.WriteSysctl($"net/ipv6/conf/{SenderInterface}/disable_ipv6", "1");
            Receiver.WriteSysctl($"net/ipv6/conf/{ReceiverInterface}/disable_ipv6", "1");
            Sender.Ip("address", "add", SenderAddress + "/24", "dev", SenderInterface);
            Receiver.Ip("address", "add", ReceiverAddress + "/24", "dev", ReceiverInterface);
            Sender.Ip("link", "set", SenderInterface, "up");
            Receiver.Ip("link", "set", ReceiverInterface, "up");
            string senderMac = Sender.Exec("cat", $"/sys/class/net/{SenderInterface}/address").Trim();
            string receiverMac = Receiver.Exec("cat", $"/sys/class/net/{ReceiverInterface}/address").Trim();
            Sender.Ip("neighbour", "replace", ReceiverAddress, "lladdr", receiverMac, "dev", SenderInterface, "nud", "permanent");
            Receiver.Ip("neighbour", "replace", SenderAddress, "lladdr", senderMac, "dev", ReceiverInterface, "nud", "permanent");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public NetworkNamespace Sender { get; } = null!;

    public NetworkNamespace Receiver { get; } = null!;

    /// <summary>The drops of the clsact qdisc on the receiver's end: tc's <c>dropped N</c> of <c>qdisc clsact</c>.</summary>
    public long ReceiverClsactDrops()
    {
        string stats = Receiver.Tc("-s", "qdisc", "show", "dev", ReceiverInterface);
        System.Text.RegularExpressions.Match match = System.Text.RegularExpressions.Regex.Match(
            stats, @"qdisc clsact[^\n]*\n\s*Sent \d+ bytes \d+ pkt \(dropped (\d+)");
        return match.Success
            ? long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"no clsact qdisc on {ReceiverInterface}: {stats}");
    }

    public void Dispose()
    {
        Sender?.Dispose();
        Receiver?.Dispose();
    }
}
