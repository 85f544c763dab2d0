namespace NetDrop.Kernel.Bpf;

/// <summary>
/// Where the program finds a drop's network namespace, resolved from BTF: the raw tracepoint argument holding the
/// <c>struct sk_buff *</c>, and the byte offsets of <c>sk_buff.dev</c>, <c>net_device.nd_net.net</c> and
/// <c>net.ns.inum</c>, which it follows with <c>bpf_probe_read_kernel</c>.
/// </summary>
public sealed record NamespaceKeyOffsets(int SkbArgumentOffset, int SkbDevice, int DeviceNet, int NetInode);
