namespace NetDrop.Model;

/// <summary>
/// What a detail CSV row's <c>key</c> names (<see cref="DetailCsvSchema.ScopeName"/> gives the cell's text). Values are
/// appended, never renumbered: the text is the contract, the number only this build's.
/// </summary>
internal enum DetailCsvScope
{
    /// <summary>A monitored interface, key <c>eth0</c>: its share of each interface category (a bond's includes its slaves').</summary>
    Interface,

    /// <summary>A network namespace that is not a pod's, key its container id or <c>comm/pid</c>; its own interfaces' rows add the interface (<c>nginx/4242/eth0</c>).</summary>
    Namespace,

    /// <summary>A pod's network namespace, key <c>k8s.pod.uid</c>; its own interfaces' rows (the pod side of a veth) <c>&lt;uid&gt;/eth0</c>.</summary>
    Pod,

    /// <summary>A CPU, key its number (<c>3</c>): its share of the softnet categories.</summary>
    Cpu,

    /// <summary>A slave of a monitored bond, key <c>bond0/eth0</c>: a part of its bond's interface row, not added to it.</summary>
    Slave,

    /// <summary>A socket, key its local address and port.</summary>
    Socket,

    /// <summary>
    /// A kernel drop reason (<c>enum skb_drop_reason</c>), key its name (<c>NETFILTER_DROP</c>) or
    /// <c>OWNER/NAME</c> for another namespace's; category cell its kind (<see cref="DetailCsvSchema.ReasonLoss"/>, ...).
    /// </summary>
    Reason,
}
