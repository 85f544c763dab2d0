using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Text;

namespace NetDrop.Kernel.Snapshots;

/// <summary>
/// An interface name as the kernel stores it: at most <c>IFNAMSIZ</c> (16) bytes including the NUL. Held inline so a
/// sample can carry names without allocating; converted to a string only when a new series is registered.
/// </summary>
internal struct InterfaceName : IEquatable<InterfaceName>
{
    public const int Capacity = 16; // IFNAMSIZ

    private NameBytes _bytes;
    private byte _length;

    public static InterfaceName FromBytes(ReadOnlySpan<byte> name)
    {
        int nul = name.IndexOf((byte)0);
        if (nul >= 0)
        {
            name = name[..nul];
        }

        var result = default(InterfaceName);
        int length = Math.Min(name.Length, Capacity - 1);
        name[..length].CopyTo(result._bytes);
        result._length = (byte)length;
        return result;
    }

    public static InterfaceName FromString(string name)
    {
        Span<byte> utf8 = stackalloc byte[Capacity * 4];
        int written = Encoding.UTF8.GetBytes(name.AsSpan(0, Math.Min(name.Length, Capacity)), utf8);
        return FromBytes(utf8[..written]);
    }

    public readonly int Length => _length;

    [UnscopedRef]
    public readonly ReadOnlySpan<byte> Bytes => ((ReadOnlySpan<byte>)_bytes)[.._length];

    public readonly bool Equals(InterfaceName other) => Bytes.SequenceEqual(other.Bytes);

    public override readonly bool Equals(object? obj) => obj is InterfaceName other && Equals(other);

    public override readonly int GetHashCode()
    {
        var hash = default(HashCode);
        hash.AddBytes(Bytes);
        return hash.ToHashCode();
    }

    public override readonly string ToString() => Encoding.UTF8.GetString(Bytes);

    public static bool operator ==(InterfaceName left, InterfaceName right) => left.Equals(right);

    public static bool operator !=(InterfaceName left, InterfaceName right) => !left.Equals(right);

    [InlineArray(Capacity)]
    private struct NameBytes
    {
        private byte _element0;
    }
}
