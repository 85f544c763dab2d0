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

    /// <summary>The opt-in eBPF drop-reason counter (<see cref="DropReasonSource"/>).</summary>
    DropReasons,
    Namespaces,
}
