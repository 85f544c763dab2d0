using System.Runtime.InteropServices;

namespace NetDrop.Kernel.Netlink;

internal ref partial struct NetlinkReader
{
    /// <summary>
    /// A reader over the attributes that follow a message's fixed family header (<c>struct ifinfomsg</c>,
    /// <c>struct tcmsg</c>), which starts the payload and is padded to <c>NLMSG_ALIGN</c>.
    /// </summary>
    public static NetlinkReader ForAttributes(ReadOnlySpan<byte> payload, int familyHeaderSize)
    {
        int start = Interop.Netlink.NLMSG_ALIGN(familyHeaderSize);
        return new NetlinkReader(start <= payload.Length ? payload[start..] : default);
    }

    /// <summary>
    /// Reads the next attribute. The type has the <c>NLA_F_NESTED</c> and <c>NLA_F_NET_BYTEORDER</c> bits removed;
    /// a nested attribute's value is walked with a new reader over <paramref name="value"/>.
    /// </summary>
    public bool TryReadAttribute(out ushort type, out ReadOnlySpan<byte> value)
    {
        type = 0;
        value = default;
        if (_remaining.IsEmpty || IsMalformed)
        {
            return false;
        }

        if (_remaining.Length < Interop.Netlink.NLA_HDRLEN)
        {
            IsMalformed = true;
            return false;
        }

        Interop.NlAttr attribute = MemoryMarshal.Read<Interop.NlAttr>(_remaining);
        if (attribute.nla_len < Interop.Netlink.NLA_HDRLEN || attribute.nla_len > _remaining.Length)
        {
            IsMalformed = true;
            return false;
        }

        type = (ushort)(attribute.nla_type & Interop.Netlink.NLA_TYPE_MASK);
        value = _remaining[Interop.Netlink.NLA_HDRLEN..attribute.nla_len];
        _remaining = _remaining[Math.Min(Interop.Netlink.NLA_ALIGN(attribute.nla_len), _remaining.Length)..];
        return true;
    }

    /// <summary>Reads a fixed-size value (a kernel struct or integer), or returns false if the attribute is shorter.</summary>
    public static bool TryRead<T>(ReadOnlySpan<byte> value, out T result)
        where T : unmanaged
    {
        return MemoryMarshal.TryRead(value, out result);
    }
}
