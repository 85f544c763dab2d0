namespace NetDrop.Kernel.Procfs;

/// <summary>A MIB counter's name as procfs prints it: group (<c>TcpExt</c>, <c>Udp</c>) and field (<c>ListenOverflows</c>).</summary>
/// <param name="Group">The line prefix without its colon; empty for <c>/proc/net/snmp6</c>, whose names carry the group.</param>
internal readonly record struct MibKey(string Group, string Name)
{
    public override string ToString() => Group.Length == 0 ? Name : Group + ": " + Name;
}
