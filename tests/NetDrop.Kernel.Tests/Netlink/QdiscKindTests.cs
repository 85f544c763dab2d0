using NetDrop.Kernel.Netlink;

namespace NetDrop.Kernel.Tests.Netlink;

public sealed class QdiscKindTests
{
    [Fact]
    public void FromBytes_NulTerminatedAttributeValue_StopsAtTheNul()
    {
        QdiscKind kind = QdiscKind.FromBytes("pfifo_fast\0\0\0"u8);

        Assert.Equal("pfifo_fast", kind.ToString());
        Assert.Equal(10, kind.Length);
        Assert.True(kind.Is("pfifo_fast"u8));
        Assert.False(kind.Is("pfifo"u8));
    }

    [Fact]
    public void FromBytes_LongerThanIfNamSize_KeepsFifteenBytes()
    {
        QdiscKind kind = QdiscKind.FromBytes("abcdefghijklmnopqrst"u8);

        Assert.Equal("abcdefghijklmno", kind.ToString());
    }

    [Fact]
    public void Equals_SameKindFromBytesAndString_AreEqualWithEqualHashes()
    {
        QdiscKind fromBytes = QdiscKind.FromBytes("htb\0"u8);
        QdiscKind fromString = QdiscKind.FromString("htb");

        Assert.True(fromBytes == fromString);
        Assert.Equal(fromBytes.GetHashCode(), fromString.GetHashCode());
        Assert.NotEqual(QdiscKind.FromString("tbf"), fromBytes);
    }
}
