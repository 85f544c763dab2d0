using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Text;

namespace NetDrop.Kernel.Netlink;

/// <summary>
/// A qdisc's kind as <c>TCA_KIND</c> carries it ("pfifo_fast", "mq", "htb"): the kernel's <c>Qdisc_ops.id</c>, a
/// NUL-terminated <c>char id[IFNAMSIZ]</c> (include/net/sch_generic.h). Held inline so a dump allocates nothing;
/// converted to a string only when a new series is registered.
/// </summary>
internal struct QdiscKind : IEquatable<QdiscKind>
{
    public const int Capacity = 16; // IFNAMSIZ

    private KindBytes _bytes;
    private byte _length;

    public static QdiscKind FromBytes(ReadOnlySpan<byte> kind)
    {
        int nul = kind.IndexOf((byte)0);
        if (nul >= 0)
        {
            kind = kind[..nul];
        }

        var result = default(QdiscKind);
        int length = Math.Min(kind.Length, Capacity - 1);
        kind[..length].CopyTo(result._bytes);
        result._length = (byte)length;
        return result;
    }

    public static QdiscKind FromString(string kind)
    {
        Span<byte> utf8 = stackalloc byte[Capacity * 4];
        int written = Encoding.UTF8.GetBytes(kind.AsSpan(0, Math.Min(kind.Length, Capacity)), utf8);
        return FromBytes(utf8[..written]);
    }

    public readonly int Length => _length;

    [UnscopedRef]
    public readonly ReadOnlySpan<byte> Bytes => ((ReadOnlySpan<byte>)_bytes)[.._length];

    /// <summary>Compares with a UTF-8 literal without allocating: <c>kind.Is("htb"u8)</c>.</summary>
    public readonly bool Is(ReadOnlySpan<byte> kind) => Bytes.SequenceEqual(kind);

    public readonly bool Equals(QdiscKind other) => Bytes.SequenceEqual(other.Bytes);

    public override readonly bool Equals(object? obj) => obj is QdiscKind other && Equals(other);

    public override readonly int GetHashCode()
    {
        var hash = default(HashCode);
        hash.AddBytes(Bytes);
        return hash.ToHashCode();
    }

    public override readonly string ToString() => Encoding.UTF8.GetString(Bytes);

    public static bool operator ==(QdiscKind left, QdiscKind right) => left.Equals(right);

    public static bool operator !=(QdiscKind left, QdiscKind right) => !left.Equals(right);

    [InlineArray(Capacity)]
    private struct KindBytes
    {
        private byte _element0;
    }
}
