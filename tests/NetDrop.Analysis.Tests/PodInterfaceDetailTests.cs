using NetDrop.Model;

namespace NetDrop.Analysis.Tests;

/// <summary>
/// <c>analyze</c> answers "which pod, which interface" from the detail rows the monitor writes for other namespaces'
/// interfaces (scope <c>pod</c> or <c>namespace</c>, key the owner then the interface: <c>&lt;uid&gt;/eth0</c>,
/// <c>nginx/4242/eth0</c>): each such key is a series of its own beside the pod's socket-layer series, and an
/// <c>--interface</c> filter (the node's interfaces) leaves them in. Totals are added up by hand from the rows below.
/// </summary>
public sealed class PodInterfaceDetailTests : IDisposable
{
    private const string Uid = "5f1c2a7e-0d1b-4c3a-9e8f-7a6b5c4d3e2f";

    private readonly string _detail = Path.Join(Path.GetTempPath(), "netdrop-poddev-" + Guid.NewGuid().ToString("N") + ".detail.log");

    public PodInterfaceDetailTests() => File.WriteAllText(_detail, $"""
        {DetailCsvSchema.Header}
        2026-02-03 11:23:50,124,interface,eth0,nic_rx,5
        2026-02-03 11:23:50,124,pod,{Uid},udp_rcvbuf,32
        2026-02-03 11:23:50,124,pod,{Uid}/eth0,nic_tx,23
        2026-02-03 11:23:55,125,pod,{Uid}/eth0,nic_tx,7
        2026-02-03 11:23:55,125,namespace,nginx/4242/eth0,nic_rx,41

        """);

    [Fact]
    public void Analyze_PodInterfaceRows_OneSeriesPerPodAndInterface()
    {
        DetailSummary detail = Analyze(ReportFilter.None);

        Assert.Equal(["interface", "namespace", "pod"], detail.Scopes.Select(scope => scope.Scope));
        DetailScopeTop pods = detail.Scopes.Single(scope => scope.Scope == "pod");
        Assert.Equal([(Uid, "udp_rcvbuf", 32L), (Uid + "/eth0", "nic_tx", 30L)], pods.Top.Select(total => (total.Key, total.Category, total.Total)));
        DetailScopeTop others = detail.Scopes.Single(scope => scope.Scope == "namespace");
        Assert.Equal([("nginx/4242/eth0", "nic_rx", 41L)], others.Top.Select(total => (total.Key, total.Category, total.Total)));
    }

    [Fact]
    public void Analyze_InterfaceFilter_KeepsThePodsInterfaceRows()
    {
        DetailSummary detail = Analyze(new ReportFilter(null, null, ["eth1"]));

        Assert.DoesNotContain(detail.Scopes, scope => scope.Scope == "interface"); // the node's eth0 is filtered out
        Assert.Contains(detail.Scopes.Single(scope => scope.Scope == "pod").Top, total => total.Key == Uid + "/eth0" && total.Total == 30);
    }

    public void Dispose() => File.Delete(_detail);

    private DetailSummary Analyze(ReportFilter filter) => Assert.IsType<DetailSummary>(DropAnalyzer.Analyze(
        DropCategories.Table,
        new AnalysisOptions([AnalyzeTestFiles.Fixture("netdrop-incident.csv"), _detail], filter)).Detail);
}
