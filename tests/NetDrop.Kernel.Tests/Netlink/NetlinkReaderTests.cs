using System.Runtime.InteropServices;
using NetDrop.Kernel.Netlink;
using NetDrop.Kernel.Tests.TestSupport;

namespace NetDrop.Kernel.Tests.Netlink;

public sealed class NetlinkReaderTests
{
    [Fact]
    public void TryReadMessage_TwoMessages_ReturnsEachHeaderAndPayload()
    {
        byte[] data = NetlinkBytes.Concat(
            NetlinkBytes.Message(Interop.Rtnetlink.RTM_NEWLINK, [1, 2, 3, 4, 5]),
            NetlinkBytes.Done());

        var reader = new NetlinkReader(data);

        Assert.True(reader.TryReadMessage(out Interop.NlMsgHdr first, out ReadOnlySpan<byte> firstPayload));
        Assert.Equal(Interop.Rtnetlink.RTM_NEWLINK, first.nlmsg_type);
        Assert.Equal(21u, first.nlmsg_len); // 16 + 5, padded to 24 on the wire
        Assert.Equal([1, 2, 3, 4, 5], firstPayload.ToArray());
        Assert.True(reader.TryReadMessage(out Interop.NlMsgHdr second, out ReadOnlySpan<byte> secondPayload));
        Assert.Equal(Interop.Netlink.NLMSG_DONE, second.nlmsg_type);
        Assert.Equal(4, secondPayload.Length);
        Assert.False(reader.TryReadMessage(out _, out _));
        Assert.False(reader.IsMalformed);
    }

    [Fact]
    public void TryReadMessage_LastMessageWithoutPadding_EndsCleanly()
    {
        byte[] message = NetlinkBytes.Message(Interop.Rtnetlink.RTM_NEWLINK, [1, 2, 3, 4, 5]);

        var reader = new NetlinkReader(message.AsSpan(0, 21));

        Assert.True(reader.TryReadMessage(out _, out ReadOnlySpan<byte> payload));
        Assert.Equal(5, payload.Length);
        Assert.False(reader.TryReadMessage(out _, out _));
        Assert.False(reader.IsMalformed);
    }

    [Fact]
    public void TryReadMessage_LengthBeyondData_StopsMalformed()
    {
        byte[] message = NetlinkBytes.Message(Interop.Rtnetlink.RTM_NEWLINK, new byte[32]);

        var reader = new NetlinkReader(message.AsSpan(0, 40));

        Assert.False(reader.TryReadMessage(out _, out _));
        Assert.True(reader.IsMalformed);
    }

    [Fact]
    public void TryReadMessage_LengthSmallerThanHeader_StopsMalformed()
    {
        byte[] data = NetlinkBytes.Struct(new Interop.NlMsgHdr { nlmsg_len = 8, nlmsg_type = Interop.Netlink.NLMSG_DONE });

        var reader = new NetlinkReader(data);

        Assert.False(reader.TryReadMessage(out _, out _));
        Assert.True(reader.IsMalformed);
    }

    [Fact]
    public void TryReadMessage_TrailingBytesShorterThanHeader_StopsMalformed()
    {
        byte[] data = NetlinkBytes.Concat(NetlinkBytes.Done(), [0, 0, 0, 0]);

        var reader = new NetlinkReader(data);

        Assert.True(reader.TryReadMessage(out _, out _));
        Assert.False(reader.TryReadMessage(out _, out _));
        Assert.True(reader.IsMalformed);
    }

    [Fact]
    public void TryReadAttribute_UnalignedValues_SkipsPaddingBetweenThem()
    {
        byte[] data = NetlinkBytes.Concat(
            NetlinkBytes.Attribute(Interop.Rtnetlink.IFLA_IFNAME, "eth0\0"u8),
            NetlinkBytes.Attribute(Interop.Rtnetlink.IFLA_OPERSTATE, [6]),
            NetlinkBytes.Attribute(Interop.Rtnetlink.IFLA_MASTER, NetlinkBytes.Struct(7)));

        var reader = new NetlinkReader(data);

        Assert.True(reader.TryReadAttribute(out ushort type, out ReadOnlySpan<byte> value));
        Assert.Equal(Interop.Rtnetlink.IFLA_IFNAME, type);
        Assert.Equal("eth0\0"u8.ToArray(), value.ToArray());
        Assert.True(reader.TryReadAttribute(out type, out value));
        Assert.Equal(Interop.Rtnetlink.IFLA_OPERSTATE, type);
        Assert.Equal([6], value.ToArray());
        Assert.True(reader.TryReadAttribute(out type, out value));
        Assert.Equal(Interop.Rtnetlink.IFLA_MASTER, type);
        Assert.Equal(7, MemoryMarshal.Read<int>(value));
        Assert.False(reader.TryReadAttribute(out _, out _));
        Assert.False(reader.IsMalformed);
    }

    [Fact]
    public void TryReadAttribute_NestedAndByteOrderFlags_AreMaskedFromType()
    {
        ushort flagged = Interop.Rtnetlink.TCA_STATS2 | Interop.Netlink.NLA_F_NESTED | Interop.Netlink.NLA_F_NET_BYTEORDER;
        byte[] data = NetlinkBytes.Attribute(flagged, NetlinkBytes.Attribute(Interop.Rtnetlink.TCA_STATS_QUEUE, new byte[20]));

        var reader = new NetlinkReader(data);

        Assert.True(reader.TryReadAttribute(out ushort type, out ReadOnlySpan<byte> nested));
        Assert.Equal(Interop.Rtnetlink.TCA_STATS2, type);
        var inner = new NetlinkReader(nested);
        Assert.True(inner.TryReadAttribute(out ushort innerType, out ReadOnlySpan<byte> queue));
        Assert.Equal(Interop.Rtnetlink.TCA_STATS_QUEUE, innerType);
        Assert.Equal(20, queue.Length);
    }

    [Fact]
    public void TryReadAttribute_LengthBeyondData_StopsMalformed()
    {
        byte[] data = NetlinkBytes.Attribute(Interop.Rtnetlink.IFLA_IFNAME, "eth0\0"u8);

        var reader = new NetlinkReader(data.AsSpan(0, 6));

        Assert.False(reader.TryReadAttribute(out _, out _));
        Assert.True(reader.IsMalformed);
    }

    [Fact]
    public void TryReadAttribute_LengthSmallerThanHeader_StopsMalformed()
    {
        byte[] data = NetlinkBytes.Struct(new Interop.NlAttr { nla_len = 2, nla_type = Interop.Rtnetlink.IFLA_IFNAME });

        var reader = new NetlinkReader(data);

        Assert.False(reader.TryReadAttribute(out _, out _));
        Assert.True(reader.IsMalformed);
    }

    [Fact]
    public void ForAttributes_FamilyHeaderOf20Bytes_StartsAfterIt()
    {
        byte[] payload = NetlinkBytes.Concat(new byte[Interop.TcMsg.Size], NetlinkBytes.Attribute(Interop.Rtnetlink.TCA_KIND, "htb\0"u8));

        var reader = NetlinkReader.ForAttributes(payload, Interop.TcMsg.Size);

        Assert.True(reader.TryReadAttribute(out ushort type, out ReadOnlySpan<byte> value));
        Assert.Equal(Interop.Rtnetlink.TCA_KIND, type);
        Assert.Equal("htb\0"u8.ToArray(), value.ToArray());
    }

    [Fact]
    public void ForAttributes_PayloadShorterThanFamilyHeader_ReadsNothing()
    {
        var reader = NetlinkReader.ForAttributes(new byte[8], Interop.IfInfoMsg.Size);

        Assert.False(reader.TryReadAttribute(out _, out _));
        Assert.False(reader.IsMalformed);
    }
}
