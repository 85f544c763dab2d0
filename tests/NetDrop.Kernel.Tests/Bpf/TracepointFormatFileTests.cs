using NetDrop.Kernel.Bpf;
using NetDrop.Kernel.Tests.TestSupport;

namespace NetDrop.Kernel.Tests.Bpf;

public sealed class TracepointFormatFileTests
{
    private static string Captured => Path.Join(Fixtures.Root, "bpf", "debian12-6.18-x86_64", "tracing");

    private static string Synthetic(string name) => Path.Join(Fixtures.Root, "bpf", "synthetic", name, "tracing");

    [Fact]
    public void Read_Captured618Format_FindsIdReasonFieldAndNames()
    {
        DropReasonSource source = TracepointFormatFile.Read(Captured);

        // Values as the captured file prints them ("ID: 2310", "offset:36; size:4;", "{ 3, \"NO_SOCKET\" }" ...).
        Assert.Equal(2310, source.TracepointId);
        Assert.False(source.IsRawTracepoint);
        Assert.Equal(36, source.ReasonOffset);
        Assert.Equal(4, source.ReasonSize);
        Assert.Equal("NOT_SPECIFIED", source.Names.NameOf(2));
        Assert.Equal(3, source.Names.ValueOf("NO_SOCKET"));
        Assert.Equal(6, source.Names.ValueOf("SOCKET_RCVBUFF"));
        Assert.Equal(40, source.Names.ValueOf("TCP_LISTEN_OVERFLOW"));
        Assert.Equal(64, source.Names.ValueOf("QDISC_DROP"));
        Assert.Equal("RECURSION_LIMIT", source.Names.NameOf(127));
        Assert.Equal(129, source.Names.Count); // the table ends with { 128, "MAX" }
        Assert.Null(source.Names.NameOf(0)); // SKB_NOT_DROPPED_YET and SKB_CONSUMED are not in the table
    }

    [Fact]
    public void Read_CapturedFormat_IdLineMatchesTheIdFile()
    {
        string id = File.ReadAllText(Path.Join(Captured, "events", "skb", "kfree_skb", "id")).Trim();

        Assert.Equal(id, TracepointFormatFile.Read(Captured).TracepointId.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("no-reason-field", DropReasonsMissing.Tracepoint, "has no 'reason' field")]
    [InlineData("no-symbolic-table", DropReasonsMissing.Format, "no __print_symbolic(REC->reason, ...) table")]
    [InlineData("reason-size-3", DropReasonsMissing.Format, "size 3 at offset 36")]
    [InlineData("table-cut-off", DropReasonsMissing.Format, "cut off at '{ 65, \"QDISC_OVER")]
    [InlineData("no-tracepoint", DropReasonsMissing.Tracepoint, "has no skb:kfree_skb tracepoint")]
    public void Read_FormatNotUsable_RefusesInOneSentenceNamingTheFile(string fixture, DropReasonsMissing missing, string says)
    {
        var refusal = Assert.Throws<DropReasonsUnavailableException>(() => TracepointFormatFile.Read(Synthetic(fixture)));

        Assert.Equal(missing, refusal.Missing);
        Assert.Contains(says, refusal.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Join(Synthetic(fixture), "events", "skb", "kfree_skb"), refusal.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', refusal.Message);
    }
}
