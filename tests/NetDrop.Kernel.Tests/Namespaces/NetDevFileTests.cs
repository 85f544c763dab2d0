using System.Text;
using NetDrop.Kernel.Namespaces;
using NetDrop.Kernel.Tests.TestSupport;

namespace NetDrop.Kernel.Tests.Namespaces;

public sealed class NetDevFileTests
{
    [Fact]
    public void Parse_CapturedKernel_ReadsEveryInterface()
    {
        var file = new NetDevFile("unused");

        file.Parse(Fixtures.ReadBytes(Fixtures.CapturedKernel, "proc/net/dev"));

        // The captured file's own lines: lo 3193 29 ... 3193 29; eth0 563435460 13972 ... 747454 9446.
        Assert.Equal(4, file.Count);
        Assert.Equal("lo", Encoding.ASCII.GetString(file.NameAt(0)));
        int eth0 = file.IndexOf("eth0"u8);
        Assert.Equal(3, eth0);
        Assert.Equal(563435460UL, file.CountersAt(eth0).ReceiveBytes);
        Assert.Equal(13972UL, file.CountersAt(eth0).ReceivePackets);
        Assert.Equal(747454UL, file.CountersAt(eth0).TransmitBytes);
        Assert.Equal(9446UL, file.CountersAt(eth0).TransmitPackets);
        Assert.Equal(-1, file.IndexOf("eth"u8));
    }

    [Fact]
    public void Parse_Sentinel_MapsEveryColumn()
    {
        // A distinct value per column, the name glued to the colon as kernels before 3.x printed it ("%6s:%8lu").
        var file = new NetDevFile("unused");
        file.Parse("""
            Inter-|   Receive                                                |  Transmit
             face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
            veth1a2b3c4:101 102 103 104 105 106 107 108 109 110 111 112 113 114 115 116

            """u8);

        Assert.Equal(1, file.Count);
        NetDevCounters c = file.CountersAt(0);
        ulong[] columns =
        [
            c.ReceiveBytes, c.ReceivePackets, c.ReceiveErrors, c.ReceiveDropped, c.ReceiveFifoErrors, c.ReceiveFrameErrors,
            c.ReceiveCompressed, c.Multicast, c.TransmitBytes, c.TransmitPackets, c.TransmitErrors, c.TransmitDropped,
            c.TransmitFifoErrors, c.Collisions, c.CarrierErrors, c.TransmitCompressed,
        ];
        Assert.Equal([101UL, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115, 116], columns);
        Assert.Equal("veth1a2b3c4", Encoding.ASCII.GetString(file.NameAt(0)));
    }

    [Theory]
    [InlineData("  eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15\n")]          // 15 numbers
    [InlineData("  eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17\n")]    // 17
    [InlineData("  eth0: 1 2 3 -4 5 6 7 8 9 10 11 12 13 14 15 16\n")]      // negative
    [InlineData("  eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 18446744073709551616\n")] // 2^64
    [InlineData("  eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16")]         // cut off: no newline
    [InlineData("    : 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n")]         // no name
    [InlineData("a name: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n")]       // a space in the name
    [InlineData("eth0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n")]          // no colon
    public void Parse_MalformedLine_SkipsIt(string line)
    {
        var file = new NetDevFile("unused");

        file.Parse(Encoding.ASCII.GetBytes("    lo: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n" + line));

        Assert.Equal(1, file.Count);
        Assert.Equal("lo", Encoding.ASCII.GetString(file.NameAt(0)));
    }

    [Fact]
    public void Parse_ManyInterfaces_GrowsAndKeepsEach()
    {
        var text = new StringBuilder("Inter-|\n face |\n");
        for (int i = 0; i < 40; i++)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"veth{i}: {i} 0 0 {1000 + i} 0 0 0 0 0 0 0 {2000 + i} 0 0 0 0\n");
        }

        var file = new NetDevFile("unused");
        file.Parse(Encoding.ASCII.GetBytes(text.ToString()));

        Assert.Equal(40, file.Count);
        int index = file.IndexOf("veth39"u8);
        Assert.Equal(1039UL, file.CountersAt(index).ReceiveDropped);
        Assert.Equal(2039UL, file.CountersAt(index).TransmitDropped);
    }
}
