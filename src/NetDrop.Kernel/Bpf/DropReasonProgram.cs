namespace NetDrop.Kernel.Bpf;

/// <summary>
/// Assembles the drop-reason counter, 14 instructions:
/// <code>
/// r6 = *(size *)(ctx + reasonOffset)          // the reason: raw tracepoint args[i], or the format's field
/// if r6 &lt; last goto +1; r6 = last            // bound check: a value past the enum (subsystem reasons) counts in the last slot
/// *(u32 *)(r10 - 4) = r6                      // the map key, on the stack
/// r0 = bpf_map_lookup_elem(map, r10 - 4)      // this CPU's slot of the per-CPU array
/// if r0 != NULL: lock *(u64 *)r0 += 1
/// return 0
/// </code>
/// NOTE: the add is atomic although the slot is this CPU's: a tracepoint program can be entered again on the same
/// CPU from an interrupt (kfree_skb in hard-irq context), and an atomic add costs the same as load-add-store here.
/// </summary>
internal static class DropReasonProgram
{
    private const int BPF_FUNC_map_lookup_elem = 1;

    public static BpfInstruction[] Assemble(DropReasonSource source, int mapFd, int slots)
    {
        int last = slots - 1;
        (BpfInstruction mapFirst, BpfInstruction mapSecond) = BpfInstruction.LoadMap(BpfRegister.R1, mapFd);
        return
        [
            BpfInstruction.LoadMemory(BpfRegister.R6, BpfRegister.R1, checked((short)source.ReasonOffset), source.ReasonSize),
            BpfInstruction.JumpIfLess(BpfRegister.R6, last, 1),
            BpfInstruction.Move(BpfRegister.R6, last),
            BpfInstruction.StoreMemory(BpfRegister.R10, -4, BpfRegister.R6, 4),
            BpfInstruction.Move(BpfRegister.R2, BpfRegister.R10),
            BpfInstruction.Add(BpfRegister.R2, -4),
            mapFirst,
            mapSecond,
            BpfInstruction.Call(BPF_FUNC_map_lookup_elem),
            BpfInstruction.JumpIfEqual(BpfRegister.R0, 0, 2),
            BpfInstruction.Move(BpfRegister.R1, 1),
            BpfInstruction.AtomicAdd64(BpfRegister.R0, 0, BpfRegister.R1),
            BpfInstruction.Move(BpfRegister.R0, 0),
            BpfInstruction.Exit(),
        ];
    }
}
