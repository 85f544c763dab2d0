namespace NetDrop.Kernel.Bpf;

/// <summary>
/// Assembles the drop-reason counter. Per reason, host-wide (15 instructions with the return):
/// <code>
/// r9 = ctx
/// r6 = *(size *)(r9 + reasonOffset)           // the reason: raw tracepoint args[i], or the format's field
/// if r6 &lt; last goto +1; r6 = last            // bound check: a value past the enum (subsystem reasons) counts in the last slot
/// *(u32 *)(r10 - 4) = r6                      // the map key, on the stack
/// r0 = bpf_map_lookup_elem(reasons, r10 - 4)  // this CPU's slot of the per-CPU array
/// if r0 != NULL: lock *(u64 *)r0 += 1
/// </code>
/// and, when BTF gave the offsets (<see cref="NamespaceKeyOffsets"/>), per (reason, network namespace inode) too:
/// <code>
/// dev = probe_read(skb + dev); if !dev: done; net = probe_read(dev + nd_net.net); if !net: done
/// key = { reason, probe_read_u32(net + ns.inum) }
/// r0 = lookup(byNamespace, key); if r0: lock *r0 += 1 else update(byNamespace, key, 1, BPF_ANY)
/// </code>
/// then <c>return 0</c>.
/// NOTE: the adds are atomic although the slot is this CPU's: an atomic add costs about the same as load-add-store,
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

    /// <param name="namespaceMapFd">The per-CPU hash keyed by (reason, namespace inode), or -1 for reason only.</param>
    public static BpfInstruction[] Assemble(DropReasonSource source, int mapFd, int slots, int namespaceMapFd)
    {
        int last = slots - 1;
        var code = new List<BpfInstruction>(64);
        code.Add(BpfInstruction.Move(BpfRegister.R9, BpfRegister.R1));
        code.Add(BpfInstruction.LoadMemory(BpfRegister.R6, BpfRegister.R9, checked((short)source.ReasonOffset), source.ReasonSize));
        code.Add(BpfInstruction.JumpIfLess(BpfRegister.R6, last, 1));
        code.Add(BpfInstruction.Move(BpfRegister.R6, last));
        code.Add(BpfInstruction.StoreMemory(BpfRegister.R10, -4, BpfRegister.R6, 4));
        code.Add(BpfInstruction.Move(BpfRegister.R2, BpfRegister.R10));
        code.Add(BpfInstruction.Add(BpfRegister.R2, -4));
        AddMap(code, mapFd);
        code.Add(BpfInstruction.Call(BPF_FUNC_map_lookup_elem));
        code.Add(BpfInstruction.JumpIfEqual(BpfRegister.R0, 0, 2));
        code.Add(BpfInstruction.Move(BpfRegister.R1, 1));
        code.Add(BpfInstruction.AtomicAdd64(BpfRegister.R0, 0, BpfRegister.R1));

        var jumpsToEnd = new List<(int At, Func<short, BpfInstruction> Make)>();
        if (namespaceMapFd >= 0 && source.Namespace is { } offsets)
        {
            // Stack: fp-8 key.reason, fp-4 key.inum, fp-16 scratch pointer / the value 1.
            code.Add(BpfInstruction.LoadMemory(BpfRegister.R3, BpfRegister.R9, checked((short)offsets.SkbArgumentOffset), 8));
            ReadPointer(code, offsets.SkbDevice, jumpsToEnd);
            ReadPointer(code, offsets.DeviceNet, jumpsToEnd);
            code.Add(BpfInstruction.Add(BpfRegister.R3, offsets.NetInode));
            code.Add(BpfInstruction.Move(BpfRegister.R1, BpfRegister.R10));
            code.Add(BpfInstruction.Add(BpfRegister.R1, -4));
            code.Add(BpfInstruction.Move(BpfRegister.R2, 4));
            code.Add(BpfInstruction.Call(BPF_FUNC_probe_read_kernel));
            jumpsToEnd.Add((code.Count, offset => BpfInstruction.JumpIfNotEqual(BpfRegister.R0, 0, offset))); // the read faulted
            code.Add(default);
            code.Add(BpfInstruction.StoreMemory(BpfRegister.R10, -8, BpfRegister.R6, 4));
            code.Add(BpfInstruction.Move(BpfRegister.R2, BpfRegister.R10));
            code.Add(BpfInstruction.Add(BpfRegister.R2, -8));
            AddMap(code, namespaceMapFd);
            code.Add(BpfInstruction.Call(BPF_FUNC_map_lookup_elem));
            code.Add(BpfInstruction.JumpIfEqual(BpfRegister.R0, 0, 3));
            code.Add(BpfInstruction.Move(BpfRegister.R1, 1));
            code.Add(BpfInstruction.AtomicAdd64(BpfRegister.R0, 0, BpfRegister.R1));
            jumpsToEnd.Add((code.Count, BpfInstruction.Jump));
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

        int end = code.Count;
        foreach ((int at, Func<short, BpfInstruction> make) in jumpsToEnd)
        {
            code[at] = make(checked((short)(end - at - 1)));
        }

        code.Add(BpfInstruction.Move(BpfRegister.R0, 0));
        code.Add(BpfInstruction.Exit());
        return [.. code];
    }

    /// <summary>r3 = *(u64 *)(r3 + offset), read with bpf_probe_read_kernel into fp-16; a NULL result jumps to the end.</summary>
    private static void ReadPointer(List<BpfInstruction> code, int offset, List<(int At, Func<short, BpfInstruction> Make)> jumpsToEnd)
    {
        code.Add(BpfInstruction.Add(BpfRegister.R3, offset));
        code.Add(BpfInstruction.Move(BpfRegister.R1, BpfRegister.R10));
        code.Add(BpfInstruction.Add(BpfRegister.R1, -16));
        code.Add(BpfInstruction.Move(BpfRegister.R2, 8));
        code.Add(BpfInstruction.Call(BPF_FUNC_probe_read_kernel));
        code.Add(BpfInstruction.LoadMemory(BpfRegister.R3, BpfRegister.R10, -16, 8));
        // A faulting read leaves zeroes (bpf_probe_read_kernel clears the destination on error), so NULL covers both.
        jumpsToEnd.Add((code.Count, offset => BpfInstruction.JumpIfEqual(BpfRegister.R3, 0, offset)));
        code.Add(default);
    }

    private static void AddMap(List<BpfInstruction> code, int mapFd)
    {
        (BpfInstruction first, BpfInstruction second) = BpfInstruction.LoadMap(BpfRegister.R1, mapFd);
        code.Add(first);
        code.Add(second);
    }
}
