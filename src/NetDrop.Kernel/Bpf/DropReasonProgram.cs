namespace NetDrop.Kernel.Bpf;

/// <summary>
/// Assembles the drop-reason counter. First, when BTF gave the offsets (<see cref="NamespaceKeyOffsets"/>), per
/// (reason, network namespace inode):
/// <code>
/// r9 = ctx
/// r6 = *(size *)(r9 + reasonOffset)           // the reason: raw tracepoint args[i], or the format's field
/// if r6 &lt; last goto +1; r6 = last            // bound check: a value past the enum (subsystem reasons) counts in the last slot
/// dev = probe_read(skb + dev); if !dev: host; net = probe_read(dev + nd_net.net); if !net: host
/// key = { reason, probe_read_u32(net + ns.inum) }
/// r0 = lookup(byNamespace, key); if r0: lock *r0 += 1 else update(byNamespace, key, 1, BPF_ANY)
/// </code>
/// then, for every drop, host-wide (<c>host:</c>):
/// <code>
/// *(u32 *)(r10 - 4) = 0                       // the one key of the per-CPU array
/// r0 = bpf_map_lookup_elem(reasons, r10 - 4)  // this CPU's value: one u64 per reason
/// if r0 != NULL: lock *(u64 *)(r0 + r6 * 8) += 1
/// return 0
/// </code>
/// PERF: one array element holding every reason's counter, so user space reads all reasons of all CPUs with one
/// BPF_MAP_LOOKUP_ELEM (kernel/bpf/arraymap.c <c>bpf_percpu_array_copy</c> copies value_size bytes per possible CPU),
/// where an element per reason cost a lookup per reason (a batch lookup of 130 elements still cost 35-45 µs here).
/// NOTE: the namespace key is counted before the host-wide slot, so a reason whose host-wide count has not moved has
/// no namespace count that moved unseen (<see cref="DropReasonCounter.ReadNamespace"/> looks up only reasons that
/// moved). The adds are atomic although the slot is this CPU's: an atomic add costs about the same as load-add-store,
/// and it stays right should the program ever be entered twice on one CPU. A per-CPU hash update from a program
/// writes only this CPU's value (kernel/bpf/hashtab.c <c>__htab_percpu_map_update_elem</c>, onallcpus false), so two
/// CPUs inserting the same new key at once each keep their own 1.
/// </summary>
internal static class DropReasonProgram
{
    private const int BPF_FUNC_map_lookup_elem = 1;
    private const int BPF_FUNC_map_update_elem = 2;
    private const int BPF_FUNC_probe_read_kernel = 113;
    private const int BPF_ANY = 0;

    public static BpfInstruction[] Assemble(DropReasonSource source, int mapFd, int slots) => Assemble(source, mapFd, slots, namespaceMapFd: -1);

    /// <param name="source">Where the reason (and the namespace) is.</param>
    /// <param name="mapFd">The per-CPU array of one element of <paramref name="slots"/> u64 counters.</param>
    /// <param name="slots">Counters in the element: one per named reason plus the last for any reason past the enum.</param>
    /// <param name="namespaceMapFd">The per-CPU hash keyed by (reason, namespace inode), or -1 for reason only.</param>
    public static BpfInstruction[] Assemble(DropReasonSource source, int mapFd, int slots, int namespaceMapFd)
    {
        int last = slots - 1;
        var code = new List<BpfInstruction>(64);
        code.Add(BpfInstruction.Move(BpfRegister.R9, BpfRegister.R1));
        code.Add(BpfInstruction.LoadMemory(BpfRegister.R6, BpfRegister.R9, checked((short)source.ReasonOffset), source.ReasonSize));
        code.Add(BpfInstruction.JumpIfLess(BpfRegister.R6, last, 1));
        code.Add(BpfInstruction.Move(BpfRegister.R6, last));

        // r6 (the bounded reason) survives the helper calls: r6-r9 are callee-saved.
        var jumpsToHost = new List<(int At, Func<short, BpfInstruction> Make)>();
        if (namespaceMapFd >= 0 && source.Namespace is { } offsets)
        {
            // Stack: fp-8 key.reason, fp-4 key.inum, fp-16 scratch pointer / the value 1.
            code.Add(BpfInstruction.LoadMemory(BpfRegister.R3, BpfRegister.R9, checked((short)offsets.SkbArgumentOffset), 8));
            ReadPointer(code, offsets.SkbDevice, jumpsToHost);
            ReadPointer(code, offsets.DeviceNet, jumpsToHost);
            code.Add(BpfInstruction.Add(BpfRegister.R3, offsets.NetInode));
            code.Add(BpfInstruction.Move(BpfRegister.R1, BpfRegister.R10));
            code.Add(BpfInstruction.Add(BpfRegister.R1, -4));
            code.Add(BpfInstruction.Move(BpfRegister.R2, 4));
            code.Add(BpfInstruction.Call(BPF_FUNC_probe_read_kernel));
            jumpsToHost.Add((code.Count, offset => BpfInstruction.JumpIfNotEqual(BpfRegister.R0, 0, offset))); // the read faulted
            code.Add(default);
            code.Add(BpfInstruction.StoreMemory(BpfRegister.R10, -8, BpfRegister.R6, 4));
            code.Add(BpfInstruction.Move(BpfRegister.R2, BpfRegister.R10));
            code.Add(BpfInstruction.Add(BpfRegister.R2, -8));
            AddMap(code, namespaceMapFd);
            code.Add(BpfInstruction.Call(BPF_FUNC_map_lookup_elem));
            code.Add(BpfInstruction.JumpIfEqual(BpfRegister.R0, 0, 3));
            code.Add(BpfInstruction.Move(BpfRegister.R1, 1));
            code.Add(BpfInstruction.AtomicAdd64(BpfRegister.R0, 0, BpfRegister.R1));
            jumpsToHost.Add((code.Count, BpfInstruction.Jump));
            code.Add(default);
            code.Add(BpfInstruction.Move(BpfRegister.R1, 1));
            code.Add(BpfInstruction.StoreMemory(BpfRegister.R10, -16, BpfRegister.R1, 8));
            AddMap(code, namespaceMapFd);
            code.Add(BpfInstruction.Move(BpfRegister.R2, BpfRegister.R10));
            code.Add(BpfInstruction.Add(BpfRegister.R2, -8));
            code.Add(BpfInstruction.Move(BpfRegister.R3, BpfRegister.R10));
            code.Add(BpfInstruction.Add(BpfRegister.R3, -16));
            code.Add(BpfInstruction.Move(BpfRegister.R4, BPF_ANY));
            code.Add(BpfInstruction.Call(BPF_FUNC_map_update_elem));
        }

        int host = code.Count;
        foreach ((int at, Func<short, BpfInstruction> make) in jumpsToHost)
        {
            code[at] = make(checked((short)(host - at - 1)));
        }

        code.Add(BpfInstruction.Move(BpfRegister.R1, 0));
        code.Add(BpfInstruction.StoreMemory(BpfRegister.R10, -4, BpfRegister.R1, 4));
        code.Add(BpfInstruction.Move(BpfRegister.R2, BpfRegister.R10));
        code.Add(BpfInstruction.Add(BpfRegister.R2, -4));
        AddMap(code, mapFd);
        code.Add(BpfInstruction.Call(BPF_FUNC_map_lookup_elem));
        code.Add(BpfInstruction.JumpIfEqual(BpfRegister.R0, 0, 4));
        // The verifier knows r6 is in [0, last], so r0 + r6 * 8 + 8 stays within the element's slots * 8 bytes.
        code.Add(BpfInstruction.ShiftLeft(BpfRegister.R6, 3));
        code.Add(BpfInstruction.Add(BpfRegister.R0, BpfRegister.R6));
        code.Add(BpfInstruction.Move(BpfRegister.R1, 1));
        code.Add(BpfInstruction.AtomicAdd64(BpfRegister.R0, 0, BpfRegister.R1));
        code.Add(BpfInstruction.Move(BpfRegister.R0, 0));
        code.Add(BpfInstruction.Exit());
        return [.. code];
    }

    /// <summary>r3 = *(u64 *)(r3 + offset), read with bpf_probe_read_kernel into fp-16; a NULL result jumps to the host-wide count.</summary>
    private static void ReadPointer(List<BpfInstruction> code, int offset, List<(int At, Func<short, BpfInstruction> Make)> jumpsToHost)
    {
        code.Add(BpfInstruction.Add(BpfRegister.R3, offset));
        code.Add(BpfInstruction.Move(BpfRegister.R1, BpfRegister.R10));
        code.Add(BpfInstruction.Add(BpfRegister.R1, -16));
        code.Add(BpfInstruction.Move(BpfRegister.R2, 8));
        code.Add(BpfInstruction.Call(BPF_FUNC_probe_read_kernel));
        code.Add(BpfInstruction.LoadMemory(BpfRegister.R3, BpfRegister.R10, -16, 8));
        // A faulting read leaves zeroes (bpf_probe_read_kernel clears the destination on error), so NULL covers both.
        jumpsToHost.Add((code.Count, offset => BpfInstruction.JumpIfEqual(BpfRegister.R3, 0, offset)));
        code.Add(default);
    }

    private static void AddMap(List<BpfInstruction> code, int mapFd)
    {
        (BpfInstruction first, BpfInstruction second) = BpfInstruction.LoadMap(BpfRegister.R1, mapFd);
        code.Add(first);
        code.Add(second);
    }
}
