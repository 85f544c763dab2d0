namespace NetDrop.Kernel.Bpf;

/// <summary>Why <see cref="DropReasonsUnavailableException"/> was thrown.</summary>
public enum DropReasonsMissing
{
    /// <summary>Not given.</summary>
    Unknown,

    /// <summary>bpf(2) refused: needs root or CAP_BPF + CAP_PERFMON (EPERM, EACCES), or the kernel has no bpf (ENOSYS).</summary>
    Privilege,

    /// <summary>The kernel has no <c>skb:kfree_skb</c> tracepoint, or it carries no reason.</summary>
    Tracepoint,

    /// <summary>Neither <c>/sys/kernel/btf/vmlinux</c> nor a mounted tracefs.</summary>
    BtfAndTracefs,

    /// <summary>A format file or BTF blob whose content is not what this parser knows.</summary>
    Format,

    /// <summary>The verifier or the kernel refused the program or map (the message carries the verifier log).</summary>
    Load,
}
