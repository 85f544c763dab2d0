using System.Runtime.InteropServices;

namespace NetDrop.Kernel.Bpf;

/// <summary>
/// One eBPF instruction, <c>struct bpf_insn</c> (include/uapi/linux/bpf.h): opcode, destination register in the low
/// nibble and source register in the high nibble of one byte, a signed 16-bit offset and a signed 32-bit immediate.
/// The encoding is Documentation/bpf/standardization/instruction-set.rst. Only what the drop-reason program uses.
/// </summary>
[StructLayout(LayoutKind.Sequential, Size = 8)]
internal readonly struct BpfInstruction
{
    // Instruction classes, modes, sizes and operations (instruction-set.rst "Instruction classes").
    private const byte ClassLd = 0x00;
    private const byte ClassLdx = 0x01;
    private const byte ClassStx = 0x03;
    private const byte ClassJmp = 0x05;
    private const byte ClassAlu64 = 0x07;
    private const byte ModeImm = 0x00;
    private const byte ModeMem = 0x60;
    private const byte ModeAtomic = 0xc0;
    private const byte SourceK = 0x00;
    private const byte SourceX = 0x08;
    private const byte OpAdd = 0x00;
    private const byte OpLsh = 0x60;
    private const byte OpMov = 0xb0;
    private const byte JumpAlways = 0x00;
    private const byte JumpEqual = 0x10;
    private const byte JumpNotEqual = 0x50;
    private const byte JumpLessThan = 0xa0; // unsigned
    private const byte OpCall = 0x80;
    private const byte OpExit = 0x90;

    /// <summary>src_reg of a 64-bit immediate load that names a map by fd (BPF_PSEUDO_MAP_FD).</summary>
    private const byte PseudoMapFd = 1;

    public readonly byte Code;
    public readonly byte Registers;
    public readonly short Offset;
    public readonly int Immediate;

    private BpfInstruction(byte code, BpfRegister destination, BpfRegister source, short offset, int immediate)
    {
        Code = code;
        Registers = (byte)(((byte)source << 4) | (byte)destination);
        Offset = offset;
        Immediate = immediate;
    }

    /// <summary><c>dst = *(size *)(src + offset)</c>; size is 1, 2, 4 or 8 bytes (zero-extended).</summary>
    public static BpfInstruction LoadMemory(BpfRegister destination, BpfRegister source, short offset, int size) =>
        new((byte)(ClassLdx | ModeMem | SizeBits(size)), destination, source, offset, 0);

    /// <summary><c>*(size *)(dst + offset) = src</c>.</summary>
    public static BpfInstruction StoreMemory(BpfRegister destination, short offset, BpfRegister source, int size) =>
        new((byte)(ClassStx | ModeMem | SizeBits(size)), destination, source, offset, 0);

    /// <summary><c>lock *(u64 *)(dst + offset) += src</c> (BPF_ATOMIC | BPF_ADD).</summary>
    public static BpfInstruction AtomicAdd64(BpfRegister destination, short offset, BpfRegister source) =>
        new((byte)(ClassStx | ModeAtomic | SizeBits(8)), destination, source, offset, OpAdd);

    /// <summary><c>dst = src</c> (64-bit).</summary>
    public static BpfInstruction Move(BpfRegister destination, BpfRegister source) =>
        new(ClassAlu64 | OpMov | SourceX, destination, source, 0, 0);

    /// <summary><c>dst = imm</c> (64-bit, sign-extended).</summary>
    public static BpfInstruction Move(BpfRegister destination, int immediate) =>
        new(ClassAlu64 | OpMov | SourceK, destination, BpfRegister.R0, 0, immediate);

    /// <summary><c>dst += imm</c> (64-bit).</summary>
    public static BpfInstruction Add(BpfRegister destination, int immediate) =>
        new(ClassAlu64 | OpAdd | SourceK, destination, BpfRegister.R0, 0, immediate);

    /// <summary><c>dst += src</c> (64-bit).</summary>
    public static BpfInstruction Add(BpfRegister destination, BpfRegister source) =>
        new(ClassAlu64 | OpAdd | SourceX, destination, source, 0, 0);

    /// <summary><c>dst &lt;&lt;= imm</c> (64-bit).</summary>
    public static BpfInstruction ShiftLeft(BpfRegister destination, int immediate) =>
        new(ClassAlu64 | OpLsh | SourceK, destination, BpfRegister.R0, 0, immediate);

    /// <summary><c>if dst == imm goto +offset</c>.</summary>
    public static BpfInstruction JumpIfEqual(BpfRegister destination, int immediate, short offset) =>
        new(ClassJmp | JumpEqual | SourceK, destination, BpfRegister.R0, offset, immediate);

    /// <summary><c>if dst != imm goto +offset</c>.</summary>
    public static BpfInstruction JumpIfNotEqual(BpfRegister destination, int immediate, short offset) =>
        new(ClassJmp | JumpNotEqual | SourceK, destination, BpfRegister.R0, offset, immediate);

    /// <summary><c>if dst &lt; imm goto +offset</c>, unsigned.</summary>
    public static BpfInstruction JumpIfLess(BpfRegister destination, int immediate, short offset) =>
        new(ClassJmp | JumpLessThan | SourceK, destination, BpfRegister.R0, offset, immediate);

    /// <summary><c>goto +offset</c>.</summary>
    public static BpfInstruction Jump(short offset) =>
        new(ClassJmp | JumpAlways, BpfRegister.R0, BpfRegister.R0, offset, 0);

    /// <summary>Calls helper number <paramref name="helper"/> (include/uapi/linux/bpf.h <c>__BPF_FUNC_MAPPER</c>).</summary>
    public static BpfInstruction Call(int helper) =>
        new(ClassJmp | OpCall, BpfRegister.R0, BpfRegister.R0, 0, helper);

    public static BpfInstruction Exit() => new(ClassJmp | OpExit, BpfRegister.R0, BpfRegister.R0, 0, 0);

    /// <summary>
    /// <c>dst = map</c>: the two-slot 64-bit immediate load (BPF_LD | BPF_IMM | BPF_DW) with src_reg
    /// BPF_PSEUDO_MAP_FD, which the verifier replaces with the map's address. Both slots go into the program.
    /// </summary>
    public static (BpfInstruction First, BpfInstruction Second) LoadMap(BpfRegister destination, int mapFd) =>
        (new((byte)(ClassLd | ModeImm | SizeBits(8)), destination, (BpfRegister)PseudoMapFd, 0, mapFd), default);

    private static byte SizeBits(int size) => size switch
    {
        4 => 0x00, // BPF_W
        2 => 0x08, // BPF_H
        1 => 0x10, // BPF_B
        8 => 0x18, // BPF_DW
        _ => throw new ArgumentOutOfRangeException(nameof(size), size, "a load or store is 1, 2, 4 or 8 bytes"),
    };
}
