namespace NetDrop.Kernel.Namespaces;

/// <summary>
/// One network namespace as <see cref="NetworkNamespaceScanner"/> last saw it: its identity (the inode of its
/// <c>net/netstat</c>), the live task that represents it, whether it is the node's own, who owns it, and its open files.
/// </summary>
internal sealed class ObservedNamespace
{
    internal ObservedNamespace(ulong id, int representativePid, bool isNode, NamespaceOwner owner, NetworkNamespaceFiles? files)
    {
        Id = id;
        RepresentativePid = representativePid;
        IsNode = isNode;
        Owner = owner;
        Files = files;
    }

    /// <summary>
    /// <c>stat(&lt;proc&gt;/PID/net/netstat).st_ino</c>: the same for every task of the namespace, different for every other
    /// live namespace (procfs gives each <c>proc_dir_entry</c> its own inode number, fs/proc/generic.c <c>proc_register</c>
    /// → <c>proc_alloc_inum</c>, and every namespace has its own <c>net/</c> tree, <c>proc_net_ns_init</c>).
    /// </summary>
    /// <remarks>
    /// NOTE: the number is freed with the namespace and handed to the next one (<c>ida_alloc</c> takes the lowest free
    /// number), so it identifies a namespace only while something pins it: the scanner keeps this namespace's
    /// <see cref="Files"/> open until it sees no task left in it.
    /// </remarks>
    public ulong Id { get; }

    /// <summary>The live task whose <c>/proc/PID</c> leads to the namespace: kept while it lives, else the lowest pid found.</summary>
    public int RepresentativePid { get; internal set; }

    /// <summary>The namespace the agent itself runs in (<c>&lt;proc&gt;/self/net</c>): the node's, with host networking.</summary>
    public bool IsNode { get; }

    public NamespaceOwner Owner { get; internal set; }

    /// <summary>The namespace's open counter files; null when the scanner was made not to open them.</summary>
    public NetworkNamespaceFiles? Files { get; }

    /// <summary>Whether the namespace had no live task at the last scan (it is in <see cref="NetworkNamespaceScanner.Vanished"/>).</summary>
    public bool HasVanished { get; internal set; }

    internal int SeenInScan { get; set; }

    internal int SeenFirstInScan { get; set; }

    internal int LowestPidInScan { get; set; }

    internal bool RepresentativeSeen { get; set; }
}
