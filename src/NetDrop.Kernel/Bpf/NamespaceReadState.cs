namespace NetDrop.Kernel.Bpf;

/// <summary>
/// What <see cref="DropReasonCounter.ReadNamespace"/> last read for one network namespace: the host-wide count of each
/// reason at that read, the namespace's own count, and which reasons are to be looked up once more although the
/// host-wide count did not move again (see <see cref="DropReasonCounter.ReadNamespace"/>).
/// </summary>
internal sealed class NamespaceReadState
{
    public NamespaceReadState(int slots)
    {
        HostSeen = new ulong[slots];
        Counts = new ulong[slots];
        LookAgain = new bool[slots];
    }

    /// <summary>Per slot, the host-wide count (summed over CPUs) when this namespace was last read.</summary>
    public ulong[] HostSeen { get; }

    /// <summary>Per slot, the namespace's count (summed over CPUs) as last looked up.</summary>
    public ulong[] Counts { get; }

    /// <summary>Per slot, true when the host-wide count moved at the last read: look the key up at the next read too.</summary>
    public bool[] LookAgain { get; }
}
