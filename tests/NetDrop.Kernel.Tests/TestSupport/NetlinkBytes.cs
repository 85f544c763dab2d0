using System.Runtime.InteropServices;

namespace NetDrop.Kernel.Tests.TestSupport;

/// <summary>Builds synthetic netlink messages for edge cases no live kernel produces on demand.</summary>
internal static class NetlinkBytes
{
    public static byte[] Struct<T>(T value)
        where T : unmanaged => MemoryMarshal.AsBytes(new ReadOnlySpan<T>(in value)).ToArray();

    /// <summary>An nlattr: header, value, zero padding to NLA_ALIGN.</summary>
    public static byte[] Attribute(ushort type, ReadOnlySpan<byte> value)
    {
        byte[] result = new byte[Interop.Netlink.NLA_ALIGN(Interop.Netlink.NLA_HDRLEN + value.Length)];
        var header = new Interop.NlAttr { nla_len = (ushort)(Interop.Netlink.NLA_HDRLEN + value.Length), nla_type = type };
        MemoryMarshal.Write(result, in header);
        value.CopyTo(result.AsSpan(Interop.Netlink.NLA_HDRLEN));
        return result;
    }

    /// <summary>
    /// A message: nlmsghdr, the family header padded to NLMSG_ALIGN when attributes follow, then the attributes.
    /// <c>nlmsg_len</c> is unaligned when the payload is (as the kernel's <c>NLMSG_LENGTH</c>); the array is padded.
    /// </summary>
    public static byte[] Message(ushort type, ReadOnlySpan<byte> familyHeader, params byte[][] attributes)
    {
        int headerEnd = Interop.Netlink.NLMSG_HDRLEN +
            (attributes.Length == 0 ? familyHeader.Length : Interop.Netlink.NLMSG_ALIGN(familyHeader.Length));
        int length = headerEnd + attributes.Sum(a => a.Length);
        byte[] result = new byte[Interop.Netlink.NLMSG_ALIGN(length)];
        var header = new Interop.NlMsgHdr
        {
            nlmsg_len = (uint)length,
            nlmsg_type = type,
            nlmsg_flags = Interop.Netlink.NLM_F_MULTI,
            nlmsg_seq = 1,
        };
        MemoryMarshal.Write(result, in header);
        familyHeader.CopyTo(result.AsSpan(Interop.Netlink.NLMSG_HDRLEN));
        int offset = headerEnd;
        foreach (byte[] attribute in attributes)
        {
            attribute.CopyTo(result, offset);
            offset += attribute.Length;
        }

        return result;
    }

    public static byte[] Done() => Message(Interop.Netlink.NLMSG_DONE, Struct(0));

    public static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();
}
