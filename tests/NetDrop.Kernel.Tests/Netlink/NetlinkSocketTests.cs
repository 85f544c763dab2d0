using System.Text;
using NetDrop.Kernel.Netlink;

namespace NetDrop.Kernel.Tests.Netlink;

[Trait("Category", "LinuxHost")]
public sealed class NetlinkSocketTests
{
    [Fact]
    public void Dump_RtmGetLink_ReturnsMultipartMessagesOfOneSequenceEndingWithDone()
    {
        using var socket = new NetlinkSocket();

        byte[] first = new LinkDump(socket).ReadRaw().ToArray();
        byte[] second = new LinkDump(socket).ReadRaw().ToArray();

        uint firstSequence = AssertOneCompleteDump(first, Interop.Rtnetlink.RTM_NEWLINK);
        uint secondSequence = AssertOneCompleteDump(second, Interop.Rtnetlink.RTM_NEWLINK);
        Assert.Equal(firstSequence + 1, secondSequence);
    }

    [Fact]
    public void Dump_TypeTheKernelDoesNotKnow_ThrowsWithTheKernelsErrno()
    {
        using var socket = new NetlinkSocket();

        // rtnetlink_rcv_msg answers any type above RTM_MAX with NLMSG_ERROR -EOPNOTSUPP.
        var error = Assert.Throws<KernelSourceException>(() => socket.Dump(0x3FF, new byte[16], "test dump"));

        Assert.Equal(Interop.Errno.EOPNOTSUPP, error.Errno);
        Assert.Equal("test dump", error.Operation);

        // The error ended that dump; the socket is immediately usable again.
        var links = new List<LinkRecord>();
        new LinkDump(socket).Read(links);
        Assert.Contains(links, l => l.Name.ToString() == "lo");
    }

    [Fact]
    public void Dump_AfterDispose_ThrowsObjectDisposed()
    {
        var socket = new NetlinkSocket();
        socket.Dispose();

        Assert.Throws<ObjectDisposedException>(() => new LinkDump(socket).ReadRaw().ToArray());
    }

    [Fact]
    public void Dump_ManyLinksInsideATestNamespace_SpansSeveralDatagramsIntoOneBuffer()
    {
        using var ns = NetworkNamespace.Create("ndnlm");
        ns.Shell(BatchAddVethPairs(ns, 100));

        (byte[] raw, List<LinkRecord> links) = ns.Run(() =>
        {
            using var socket = new NetlinkSocket();
            var dump = new LinkDump(socket);
            var result = new List<LinkRecord>();
            byte[] bytes = dump.ReadRaw().ToArray();
            LinkDump.Parse(bytes, result);
            return (bytes, result);
        });

        // 201 links of ~1.5 KiB each cannot fit one ~32 KiB dump datagram.
        Assert.True(raw.Length > 64 * 1024, $"dump was only {raw.Length} bytes");
        AssertOneCompleteDump(raw, Interop.Rtnetlink.RTM_NEWLINK);
        Assert.Equal(201, links.Count);
        Assert.Equal(links.Count, links.Select(l => l.IfIndex).Distinct().Count());
    }

    [Fact]
    public void Dump_LinksChangingDuringTheDump_RestartsAndReturnsAConsistentList()
    {
        using var ns = NetworkNamespace.Create("ndnlc");
        ns.Shell(BatchAddVethPairs(ns, 100));
        string churn = Path.Combine(Path.GetTempPath(), $"{ns.Name}-churn.batch");
        var lines = new StringBuilder();
        for (int i = 0; i < 100; i++)
        {
            lines.Append("link add churn0 type veth peer name churn1\nlink del churn0\n");
        }

        File.WriteAllText(churn, lines.ToString());
        try
        {
            (long restarts, int complete, int gaveUp) = ns.Run(() =>
            {
                // Batches of link changes run until a restarted dump has been seen (bounded to 30 s).
                using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                Task churning = Task.Run(() =>
                {
                    while (!stop.IsCancellationRequested)
                    {
                        ToolRunner.Run("ip", "-n", ns.Name, "-batch", churn);
                    }
                });
                using var socket = new NetlinkSocket();
                var dump = new LinkDump(socket);
                var links = new List<LinkRecord>();
                int complete = 0;
                int gaveUp = 0;
                try
                {
                    while (!churning.IsCompleted)
                    {
                        try
                        {
                            dump.Read(links);
                        }
                        catch (KernelSourceException e) when (e.Errno == Interop.Errno.EINTR)
                        {
                            gaveUp++; // five interrupted attempts in a row: reported, not returned
                            continue;
                        }

                        complete++;
                        Assert.Equal(links.Count, links.Select(l => l.IfIndex).Distinct().Count());
                        Assert.Equal(200, links.Count(l => l.Name.ToString().StartsWith('s')));
                        if (socket.Restarts > 0)
                        {
                            stop.Cancel();
                        }
                    }
                }
                finally
                {
                    // Never leave ip running against a namespace that is about to be deleted.
                    stop.Cancel();
                    Task.WaitAny(churning);
                }

                churning.GetAwaiter().GetResult();
                return (socket.Restarts, complete, gaveUp);
            });

            Assert.True(restarts > 0, $"no dump was interrupted in {complete + gaveUp} dumps");
            Assert.True(complete > 0, $"every one of {gaveUp} dumps gave up");
        }
        finally
        {
            File.Delete(churn);
        }
    }

    private static string BatchAddVethPairs(NetworkNamespace ns, int pairs)
    {
        var batch = new StringBuilder();
        for (int i = 0; i < pairs; i++)
        {
            batch.Append("link add sa").Append(i).Append(" type veth peer name sb").Append(i).Append('\n');
        }

        return $"printf '{batch}' | ip -n {ns.Name} -batch -";
    }

    /// <summary>Asserts the bytes are one whole dump and returns its sequence number.</summary>
    private static uint AssertOneCompleteDump(byte[] raw, ushort objectType)
    {
        var reader = new NetlinkReader(raw);
        var headers = new List<Interop.NlMsgHdr>();
        while (reader.TryReadMessage(out Interop.NlMsgHdr header, out _))
        {
            headers.Add(header);
        }

        Assert.False(reader.IsMalformed);
        Assert.True(headers.Count >= 2);
        Assert.Equal(Interop.Netlink.NLMSG_DONE, headers[^1].nlmsg_type);
        Assert.All(headers[..^1], h => Assert.Equal(objectType, h.nlmsg_type));
        Assert.All(headers, h => Assert.NotEqual(0, h.nlmsg_flags & Interop.Netlink.NLM_F_MULTI));
        Assert.All(headers, h => Assert.Equal(headers[0].nlmsg_seq, h.nlmsg_seq));
        return headers[0].nlmsg_seq;
    }
}
