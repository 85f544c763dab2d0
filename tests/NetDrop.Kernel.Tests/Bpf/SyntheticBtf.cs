using System.Buffers.Binary;
using System.Text;

namespace NetDrop.Kernel.Tests.Bpf;

/// <summary>
/// Writes small BTF blobs by hand, following include/uapi/linux/btf.h (24-byte header, 12-byte btf_type, then the
/// kind's members), so the parser's paths can be driven without the 5 MB vmlinux blob.
/// </summary>
internal sealed class SyntheticBtf
{
    private readonly List<byte> _types = [];
    private readonly List<byte> _strings = [0];
    private int _nextId = 1;

    public ushort Magic { get; set; } = 0xEB9F;

    /// <summary>Added to the header's type_len, to make the section claim more bytes than the blob has.</summary>
    public int TypeLengthError { get; set; }

    public int Int(string name, int size)
    {
        int id = Type(name, kind: 1, vlen: 0, size);
        U32((uint)(size * 8)); // encoding 0, offset 0, bits
        return id;
    }

    public int Pointer(int target) => Type(null, kind: 2, vlen: 0, target);

    public int Struct(string name, int size) => Type(name, kind: 4, vlen: 0, size);

    public int Typedef(string name, int target) => Type(name, kind: 8, vlen: 0, target);

    public int Const(int target) => Type(null, kind: 10, vlen: 0, target);

    public int Enum(string name, params (string Name, int Value)[] values)
    {
        int id = Type(name, kind: 6, vlen: values.Length, 4);
        foreach ((string member, int value) in values)
        {
            U32(String(member));
            U32((uint)value);
        }

        return id;
    }

    public int FunctionPrototype(int returns, params int[] parameters)
    {
        int id = Type(null, kind: 13, vlen: parameters.Length, returns);
        foreach (int parameter in parameters)
        {
            U32(0); // parameters are unnamed in btf_trace_* prototypes
            U32((uint)parameter);
        }

        return id;
    }

    /// <summary>A type of a kind the parser does not know (kinds are 5 bits; 31 is unassigned).</summary>
    public int UnknownKind() => Type(null, kind: 31, vlen: 0, 0);

    /// <summary>
    /// The kfree_skb pieces as 6.18 has them: enum skb_drop_reason and
    /// typedef btf_trace_kfree_skb → * → void (void *, struct sk_buff *, void *, enum skb_drop_reason, struct sock *).
    /// </summary>
    public static SyntheticBtf Kernel618Like(bool withReasonParameter = true)
    {
        var btf = new SyntheticBtf();
        int voidPointer = btf.Pointer(0);
        int skb = btf.Pointer(btf.Struct("sk_buff", 232));
        int sock = btf.Pointer(btf.Struct("sock", 760));
        int reason = btf.Enum("skb_drop_reason", ("SKB_NOT_DROPPED_YET", 0), ("SKB_CONSUMED", 1),
            ("SKB_DROP_REASON_NOT_SPECIFIED", 2), ("SKB_DROP_REASON_NO_SOCKET", 3), ("SKB_DROP_REASON_SUBSYS_MASK", unchecked((int)0xffff0000)));
        int proto = withReasonParameter
            ? btf.FunctionPrototype(0, voidPointer, skb, voidPointer, reason, sock)
            : btf.FunctionPrototype(0, voidPointer, skb, voidPointer);
        btf.Typedef("btf_trace_kfree_skb", btf.Pointer(proto));
        return btf;
    }

    public byte[] Build()
    {
        var blob = new byte[24 + _types.Count + _strings.Count];
        BinaryPrimitives.WriteUInt16LittleEndian(blob, Magic);
        blob[2] = 1; // version
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(4), 24); // hdr_len
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(8), 0); // type_off
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(12), (uint)(_types.Count + TypeLengthError));
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(16), (uint)_types.Count); // str_off
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(20), (uint)_strings.Count);
        _types.CopyTo(blob, 24);
        _strings.CopyTo(blob, 24 + _types.Count);
        return blob;
    }

    private int Type(string? name, int kind, int vlen, int sizeOrType)
    {
        U32(name is null ? 0 : String(name));
        U32((uint)((kind << 24) | vlen));
        U32((uint)sizeOrType);
        return _nextId++;
    }

    private uint String(string value)
    {
        uint offset = (uint)_strings.Count;
        _strings.AddRange(Encoding.ASCII.GetBytes(value));
        _strings.Add(0);
        return offset;
    }

    private void U32(uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        _types.AddRange(bytes);
    }
}
