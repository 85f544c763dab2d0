using NetDrop.Kernel.Netlink;

namespace NetDrop.Sources;

/// <summary>
/// Qdisc drops of the interfaces in the sample from one <c>RTM_GETQDISC</c> dump. Only root and ingress/clsact
/// qdiscs are kept: a root's counter already holds its children's drops (see <see cref="QdiscRecord"/>), so adding
/// the children too would count a packet twice — the seed's mistake with <c>tc -s qdisc</c>.
/// </summary>
internal sealed class NetlinkQdiscSource : ISampleSource
{
    private readonly QdiscDump _dump;
    private readonly List<QdiscRecord> _records = [];

    public NetlinkQdiscSource(NetlinkSocket socket)
    {
        _dump = new QdiscDump(socket, includeInvisible: false); // roots are always visible
    }

    public SourceId Id => SourceId.Qdisc;

    public string Description => "rtnetlink RTM_GETQDISC";

    public void Read(Sample sample)
    {
        _dump.Read(_records);
        foreach (QdiscRecord record in _records)
        {
            if ((record.IsRoot || record.IsIngress) && HasInterface(sample, record.IfIndex))
            {
                sample.Qdiscs.Add(new QdiscReading
                {
                    IfIndex = record.IfIndex,
                    Handle = record.Handle,
                    Parent = record.Parent,
                    Kind = record.Kind,
                    Bytes = record.Bytes,
                    Packets = record.Packets,
                    Drops = record.Drops,
                });
            }
        }
    }

    private static bool HasInterface(Sample sample, int ifIndex)
    {
        foreach (InterfaceReading reading in sample.Interfaces)
        {
            if (reading.IfIndex == ifIndex)
            {
                return true;
            }
        }

        return false;
    }
}
