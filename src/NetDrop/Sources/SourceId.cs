namespace NetDrop.Sources;

/// <summary>The independent kernel sources of one sample; each can fail without stopping the others.</summary>
internal enum SourceId
{
    Netstat,
    Snmp,
    Snmp6,
    Softnet,
    Links,
    Qdisc,
    Ethtool,
    Conntrack,
    ArpCache,
    NdiscCache,
    Namespaces,
}
