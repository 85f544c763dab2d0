namespace NetDrop.Kernel.Bpf;

/// <summary>
/// The kernel's <c>enum skb_drop_reason</c> as this kernel has it: value → name, with the kernel's names minus the
/// <c>SKB_DROP_REASON_</c> prefix (<c>NO_SOCKET</c>, <c>SOCKET_RCVBUFF</c>), the spelling tracefs prints. Read from
/// tracefs or BTF at start, never compiled in: values are renumbered between kernels (new reasons are inserted in the
/// middle of include/net/dropreason-core.h).
/// </summary>
public sealed class DropReasonNames
{
    private readonly string?[] _names;

    internal DropReasonNames(string?[] names, string source)
    {
        _names = names;
        Source = source;
    }

    /// <summary>Where the names came from, e.g. <c>/sys/kernel/btf/vmlinux</c> or a format file's path.</summary>
    public string Source { get; }

    /// <summary>One more than the largest value named: the size of a per-reason buffer (see <see cref="DropReasonCounter.Slots"/>).</summary>
    public int Count => _names.Length;

    /// <summary>The name of <paramref name="reason"/>, or null when this kernel's enum has no such value.</summary>
    public string? NameOf(int reason) => (uint)reason < (uint)_names.Length ? _names[reason] : null;

    /// <summary>The value named <paramref name="name"/> (without the prefix), or -1.</summary>
    public int ValueOf(string name) => Array.IndexOf(_names, name);
}
