namespace NetDrop.Kernel.Bpf;

/// <summary>
/// eBPF registers: R0 return value, R1-R5 arguments (R1 holds the context on entry, and R1-R5 are clobbered by a
/// call), R6-R9 callee-saved, R10 the read-only frame pointer.
/// </summary>
internal enum BpfRegister : byte
{
    R0 = 0,
    R1 = 1,
    R2 = 2,
    R3 = 3,
    R4 = 4,
    R5 = 5,
    R6 = 6,
    R7 = 7,
    R8 = 8,
    R9 = 9,
    R10 = 10,
}
