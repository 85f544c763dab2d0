using System.Buffers.Binary;
using System.Text;

namespace NetDrop.Kernel.Bpf;

/// <summary>
/// Reads what the drop-reason program needs from the kernel's BTF, <c>/sys/kernel/btf/vmlinux</c>
/// (format: Documentation/bpf/btf.rst, include/uapi/linux/btf.h):
/// <code>
/// struct btf_header { u16 magic = 0xeB9F; u8 version = 1; u8 flags; u32 hdr_len;
///                     u32 type_off, type_len, str_off, str_len; }   // offsets from the end of the header
/// struct btf_type   { u32 name_off; u32 info; u32 size_or_type; }    // info: vlen bits 0-15, kind bits 24-28
/// </code>
/// followed per kind by its members. Type ids count from 1 in type-section order (0 is void). It finds
/// <c>enum skb_drop_reason</c> (the names) and <c>typedef btf_trace_kfree_skb</c>, which
/// include/trace/bpf_probe.h defines for every tracepoint as a pointer to <c>void (void *__data, TP_PROTO...)</c>;
/// the position of the <c>enum skb_drop_reason</c> parameter in that prototype, less the <c>__data</c> one, is the
/// raw tracepoint argument that holds the reason (<c>bpf_trace_run4(..., skb, location, reason, rx_sk)</c> on 6.18).
/// </summary>
public static class BtfFile
{
    /// <summary>The kernel's own BTF (CONFIG_DEBUG_INFO_BTF).</summary>
    public const string VmlinuxPath = "/sys/kernel/btf/vmlinux";

    private const ushort Magic = 0xEB9F;
    private const int HeaderLength = 24;
    private const int TypeLength = 12;

    private const int KindInt = 1;
    private const int KindPtr = 2;
    private const int KindArray = 3;
    private const int KindStruct = 4;
    private const int KindUnion = 5;
    private const int KindEnum = 6;
    private const int KindTypedef = 8;
    private const int KindVolatile = 9;
    private const int KindConst = 10;
    private const int KindRestrict = 11;
    private const int KindFuncProto = 13;
    private const int KindVar = 14;
    private const int KindDatasec = 15;
    private const int KindDeclTag = 17;
    private const int KindTypeTag = 18;
    private const int KindEnum64 = 19;
    private const int KindMax = 19;

    private const string EnumName = "skb_drop_reason";
    private const string PrototypeName = "btf_trace_kfree_skb";

    /// <summary>Reads and parses <see cref="VmlinuxPath"/> (or another BTF file).</summary>
    /// <exception cref="DropReasonsUnavailableException">No BTF, or BTF without what is needed.</exception>
    public static DropReasonSource Read(string path = VmlinuxPath)
    {
        byte[] content;
        try
        {
            content = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DropReasonsUnavailableException(DropReasonsMissing.BtfAndTracefs,
                $"The kernel's BTF {path} cannot be read ({e.Message}) and no tracefs is mounted.", Interop.Errno.ENOENT);
        }

        return Parse(content, path);
    }

    /// <summary>Parses a BTF blob; <paramref name="path"/> only names it in errors.</summary>
    public static DropReasonSource Parse(ReadOnlySpan<byte> btf, string path)
    {
        if (btf.Length < HeaderLength)
        {
            throw Malformed(path, $"{btf.Length} bytes is shorter than a BTF header");
        }

        ushort magic = BinaryPrimitives.ReadUInt16LittleEndian(btf);
        if (magic != Magic || btf[2] != 1)
        {
            throw Malformed(path, $"magic 0x{magic:x4} version {btf[2]} is not little-endian BTF version 1 (0xeb9f)");
        }

        uint headerLength = ReadU32(btf, 4);
        uint typeOffset = ReadU32(btf, 8);
        uint typeLength = ReadU32(btf, 12);
        uint stringOffset = ReadU32(btf, 16);
        uint stringLength = ReadU32(btf, 20);
        ulong typeEnd = (ulong)headerLength + typeOffset + typeLength;
        ulong stringEnd = (ulong)headerLength + stringOffset + stringLength;
        if (headerLength < HeaderLength || typeEnd > (ulong)btf.Length || stringEnd > (ulong)btf.Length)
        {
            throw Malformed(path, $"its sections (types end at {typeEnd}, strings at {stringEnd}) run past its {btf.Length} bytes");
        }

        ReadOnlySpan<byte> types = btf.Slice((int)(headerLength + typeOffset), (int)typeLength);
        ReadOnlySpan<byte> strings = btf.Slice((int)(headerLength + stringOffset), (int)stringLength);

        // Pass 1: the byte offset of every type, so ids can be followed.
        var offsets = new List<int> { -1 }; // id 0 is void
        int position = 0;
        while (position < types.Length)
        {
            if (position + TypeLength > types.Length)
            {
                throw Malformed(path, $"type {offsets.Count} is cut off at byte {position} of the type section");
            }

            offsets.Add(position);
            uint info = ReadU32(types, position + 4);
            int kind = (int)((info >> 24) & 0x1f);
            int vlen = (int)(info & 0xffff);
            int extra = kind switch
            {
                KindInt or KindVar or KindDeclTag => 4,
                KindArray => 12,
                KindStruct or KindUnion or KindDatasec or KindEnum64 => 12 * vlen,
                KindEnum or KindFuncProto => 8 * vlen,
                0 or > KindMax => -1,
                _ => 0,
            };
            if (extra < 0)
            {
                throw Malformed(path, $"type {offsets.Count - 1} has kind {kind}, which this reader does not know");
            }

            position += TypeLength + extra;
        }

        if (position != types.Length)
        {
            throw Malformed(path, "its last type runs past the type section");
        }

        int enumId = -1;
        int prototypeId = -1;
        for (int id = 1; id < offsets.Count; id++)
        {
            int at = offsets[id];
            int kind = KindOf(types, at);
            if (kind == KindEnum && enumId < 0 && NameIs(strings, ReadU32(types, at), "skb_drop_reason"u8))
            {
                enumId = id;
            }
            else if (kind == KindTypedef && prototypeId < 0 && NameIs(strings, ReadU32(types, at), "btf_trace_kfree_skb"u8))
            {
                prototypeId = id;
            }
        }

        if (enumId < 0)
        {
            throw new DropReasonsUnavailableException(DropReasonsMissing.Tracepoint,
                $"The kernel's BTF {path} has no enum {EnumName} (a kernel before 5.17 records no drop reasons).");
        }

        if (prototypeId < 0)
        {
            throw new DropReasonsUnavailableException(DropReasonsMissing.Tracepoint,
                $"The kernel's BTF {path} has no {PrototypeName}: the kernel has no kfree_skb tracepoint.");
        }

        DropReasonNames names = ReadEnum(types, strings, offsets[enumId], path);
        int argument = ReasonArgument(types, strings, offsets, prototypeId, enumId, path, out int skbArgument);
        NamespaceKeyOffsets? keys = skbArgument < 0 ? null : NamespaceOffsets(types, strings, offsets, skbArgument);
        return new DropReasonSource(names, IsRawTracepoint: true, ReasonOffset: argument * 8, ReasonSize: 8, TracepointId: 0)
        {
            Namespace = keys,
        };
    }

    private static DropReasonNames ReadEnum(ReadOnlySpan<byte> types, ReadOnlySpan<byte> strings, int at, string path)
    {
        uint info = ReadU32(types, at + 4);
        int vlen = (int)(info & 0xffff);
        uint size = ReadU32(types, at + 8);
        if (size != 4)
        {
            throw Malformed(path, $"enum {EnumName} is {size} bytes, not 4");
        }

        var pairs = new List<(int Value, string Name)>(vlen);
        for (int i = 0; i < vlen; i++)
        {
            int member = at + TypeLength + (8 * i); // struct btf_enum { u32 name_off; s32 val; }
            int value = (int)ReadU32(types, member + 4);
            if ((uint)value > DropReasonNamesBuilder.MaxValue)
            {
                continue; // SKB_DROP_REASON_SUBSYS_MASK and the like: not a reason of its own
            }

            pairs.Add((value, NameAt(strings, ReadU32(types, member), path)));
        }

        return DropReasonNamesBuilder.Build(pairs, path);
    }

    private static int ReasonArgument(ReadOnlySpan<byte> types, ReadOnlySpan<byte> strings, List<int> offsets, int typedefId, int enumId, string path, out int skbArgument)
    {
        skbArgument = -1;
        // typedef btf_trace_kfree_skb -> PTR -> FUNC_PROTO (void *__data, struct sk_buff *, void *, enum skb_drop_reason, ...)
        int pointer = Resolve(types, offsets, (int)ReadU32(types, offsets[typedefId] + 8), path);
        if (pointer <= 0 || KindOf(types, offsets[pointer]) != KindPtr)
        {
            throw Malformed(path, $"{PrototypeName} is not a pointer to a function prototype");
        }

        int proto = Resolve(types, offsets, (int)ReadU32(types, offsets[pointer] + 8), path);
        if (proto <= 0 || KindOf(types, offsets[proto]) != KindFuncProto)
        {
            throw Malformed(path, $"{PrototypeName} is not a pointer to a function prototype");
        }

        int at = offsets[proto];
        int vlen = (int)(ReadU32(types, at + 4) & 0xffff);
        int reason = -1;
        for (int i = 0; i < vlen; i++)
        {
            int parameter = Resolve(types, offsets, (int)ReadU32(types, at + TypeLength + (8 * i) + 4), path);
            if (parameter == enumId)
            {
                if (reason >= 0)
                {
                    throw Malformed(path, $"{PrototypeName} has two enum {EnumName} parameters");
                }

                reason = i;
            }
            else if (skbArgument < 0 && parameter > 0 && KindOf(types, offsets[parameter]) == KindPtr)
            {
                int target = Resolve(types, offsets, (int)ReadU32(types, offsets[parameter] + 8), path);
                if (target > 0 && KindOf(types, offsets[target]) == KindStruct && NameIs(strings, ReadU32(types, offsets[target]), "sk_buff"u8))
                {
                    skbArgument = i - 1;
                }
            }
        }

        // The first parameter is bpf_probe.h's void *__data, which the raw tracepoint's args[] does not carry.
        int first = vlen > 0 ? (int)ReadU32(types, at + TypeLength + 4) : -1;
        if (first <= 0 || KindOf(types, offsets[first]) != KindPtr || ReadU32(types, offsets[first] + 8) != 0)
        {
            throw Malformed(path, $"{PrototypeName} does not start with the void *__data parameter");
        }

        if (reason < 1)
        {
            throw new DropReasonsUnavailableException(DropReasonsMissing.Tracepoint,
                $"The kfree_skb tracepoint in {path} has no enum {EnumName} parameter (a kernel before 5.17 records no drop reasons).");
        }

        return reason - 1;
    }

    /// <summary>
    /// The member offsets the namespace key needs, or null when any is missing (the counter then keys by reason only):
    /// <c>skb-&gt;dev</c> (struct sk_buff, inside anonymous unions), <c>dev-&gt;nd_net.net</c> (possible_net_t) and
    /// <c>net-&gt;ns.inum</c> (struct ns_common), the inode <c>/proc/PID/ns/net</c> shows (fs/nsfs.c).
    /// </summary>
    private static NamespaceKeyOffsets? NamespaceOffsets(ReadOnlySpan<byte> types, ReadOnlySpan<byte> strings, List<int> offsets, int skbArgument)
    {
        int dev = MemberOffset(types, strings, offsets, "sk_buff"u8, ["dev"u8.ToArray()]);
        int net = MemberOffset(types, strings, offsets, "net_device"u8, ["nd_net"u8.ToArray(), "net"u8.ToArray()]);
        int inum = MemberOffset(types, strings, offsets, "net"u8, ["ns"u8.ToArray(), "inum"u8.ToArray()]);
        return dev < 0 || net < 0 || inum < 0 ? null : new NamespaceKeyOffsets(skbArgument * 8, dev, net, inum);
    }

    /// <summary>Byte offset of a member path (<c>nd_net.net</c>) in the named struct, looking into anonymous members; -1 if absent.</summary>
    private static int MemberOffset(ReadOnlySpan<byte> types, ReadOnlySpan<byte> strings, List<int> offsets, ReadOnlySpan<byte> structName, byte[][] path)
    {
        int structId = -1;
        for (int id = 1; id < offsets.Count && structId < 0; id++)
        {
            // The first complete struct of that name (a forward declaration is KindFwd, not KindStruct).
            if (KindOf(types, offsets[id]) == KindStruct && NameIs(strings, ReadU32(types, offsets[id]), structName))
            {
                structId = id;
            }
        }

        int total = 0;
        foreach (byte[] member in path)
        {
            if (structId < 0 || FindMember(types, strings, offsets, structId, member, depth: 0) is not ({ } bits, int memberType) || bits % 8 != 0)
            {
                return -1;
            }

            total += bits / 8;
            structId = Resolve(types, offsets, memberType, "BTF");
            if (structId > 0 && KindOf(types, offsets[structId]) is not (KindStruct or KindUnion))
            {
                structId = -1; // the last member of the path may be a scalar; a middle one must be a struct
            }
        }

        return total;
    }

    private static (int? Bits, int Type) FindMember(ReadOnlySpan<byte> types, ReadOnlySpan<byte> strings, List<int> offsets, int id, ReadOnlySpan<byte> name, int depth)
    {
        int at = offsets[id];
        uint info = ReadU32(types, at + 4);
        int vlen = (int)(info & 0xffff);
        bool bitfields = (info >> 31) != 0; // kind_flag: offset bits 0-23 are the offset, 24-31 the bitfield size
        for (int i = 0; i < vlen && depth < 8; i++)
        {
            int member = at + TypeLength + (12 * i); // struct btf_member { u32 name_off; u32 type; u32 offset; }
            uint nameOffset = ReadU32(types, member);
            int type = (int)ReadU32(types, member + 4);
            uint offset = ReadU32(types, member + 8);
            int bits = (int)(bitfields ? offset & 0xffffff : offset);
            if (nameOffset == 0)
            {
                int inner = Resolve(types, offsets, type, "BTF");
                if (inner > 0 && KindOf(types, offsets[inner]) is KindStruct or KindUnion
                    && FindMember(types, strings, offsets, inner, name, depth + 1) is ({ } innerBits, int innerType))
                {
                    return (bits + innerBits, innerType);
                }
            }
            else if (NameIs(strings, nameOffset, name))
            {
                return (bits, type);
            }
        }

        return (null, 0);
    }

    /// <summary>Follows typedef, const, volatile, restrict and type tags to the type they qualify.</summary>
    private static int Resolve(ReadOnlySpan<byte> types, List<int> offsets, int id, string path)
    {
        for (int hops = 0; hops < 32; hops++)
        {
            if (id <= 0 || id >= offsets.Count)
            {
                if (id >= offsets.Count)
                {
                    throw Malformed(path, $"type id {id} is beyond its {offsets.Count - 1} types");
                }

                return id;
            }

            int kind = KindOf(types, offsets[id]);
            if (kind is not (KindTypedef or KindVolatile or KindConst or KindRestrict or KindTypeTag))
            {
                return id;
            }

            id = (int)ReadU32(types, offsets[id] + 8);
        }

        throw Malformed(path, $"type id {id} is a typedef chain more than 32 deep");
    }

    private static int KindOf(ReadOnlySpan<byte> types, int at) => (int)((ReadU32(types, at + 4) >> 24) & 0x1f);

    private static bool NameIs(ReadOnlySpan<byte> strings, uint offset, ReadOnlySpan<byte> name)
    {
        // A NUL-terminated string equal to name: the name, then the terminator.
        return offset < (uint)strings.Length
            && strings[(int)offset..].StartsWith(name)
            && (int)offset + name.Length < strings.Length
            && strings[(int)offset + name.Length] == 0;
    }

    private static string NameAt(ReadOnlySpan<byte> strings, uint offset, string path)
    {
        int end = offset < (uint)strings.Length ? strings[(int)offset..].IndexOf((byte)0) : -1;
        if (end < 0)
        {
            throw Malformed(path, $"string offset {offset} is outside its string section");
        }

        return Encoding.ASCII.GetString(strings.Slice((int)offset, end));
    }

    private static uint ReadU32(ReadOnlySpan<byte> span, int at) => BinaryPrimitives.ReadUInt32LittleEndian(span[at..]);

    private static DropReasonsUnavailableException Malformed(string path, string what) =>
        new(DropReasonsMissing.Format, $"The BTF {path} is not understood: {what}.");
}
