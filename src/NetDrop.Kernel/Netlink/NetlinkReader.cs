using System.Runtime.InteropServices;

namespace NetDrop.Kernel.Netlink;

/// <summary>
/// Walks netlink bytes without copying: the messages of a dump reply, or the attributes of one message. A message is
/// a <c>struct nlmsghdr</c> and its payload, padded to <c>NLMSG_ALIGN</c>; an attribute is a <c>struct nlattr</c>
/// type-length-value padded to <c>NLA_ALIGN</c> (include/uapi/linux/netlink.h, lib/nlattr.c):
/// <code>
/// &lt;--- nlmsg_len ----------------------------------------&gt;
/// [nlmsghdr: len type flags seq pid][family header][nlattr][value][pad][nlattr]...
/// </code>
/// All integers are in host byte order. The reader stops, with <see cref="IsMalformed"/> set, at bytes that cannot be
/// a whole message or attribute; callers turn that into one exception at the source boundary.
/// </summary>
internal ref partial struct NetlinkReader
{
    private ReadOnlySpan<byte> _remaining;

    public NetlinkReader(ReadOnlySpan<byte> data)
    {
        _remaining = data;
        IsMalformed = false;
    }

    /// <summary>True when the walk stopped before the end because a length field pointed outside the data.</summary>
    public bool IsMalformed { readonly get; private set; }

    /// <summary>Reads the next message: its header, and the payload after the header (family header + attributes).</summary>
    public bool TryReadMessage(out Interop.NlMsgHdr header, out ReadOnlySpan<byte> payload)
    {
        header = default;
        payload = default;
        if (_remaining.IsEmpty || IsMalformed)
        {
            return false;
        }

        if (_remaining.Length < Interop.Netlink.NLMSG_HDRLEN)
        {
            IsMalformed = true;
            return false;
        }

        header = MemoryMarshal.Read<Interop.NlMsgHdr>(_remaining);
        if (header.nlmsg_len < Interop.Netlink.NLMSG_HDRLEN || header.nlmsg_len > (uint)_remaining.Length)
        {
            IsMalformed = true;
            return false;
        }

        int length = (int)header.nlmsg_len;
        payload = _remaining[Interop.Netlink.NLMSG_HDRLEN..length];

        // NOTE: the padding after the last message of a datagram may be missing; never step past the end.
        _remaining = _remaining[Math.Min(Interop.Netlink.NLMSG_ALIGN(length), _remaining.Length)..];
        return true;
    }
}
