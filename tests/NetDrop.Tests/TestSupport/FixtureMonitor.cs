using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using NetDrop.Agent;
using NetDrop.Configuration;
using NetDrop.Deltas;
using NetDrop.Tests.Faults;

namespace NetDrop.Tests.TestSupport;

/// <summary>
/// A real <see cref="MonitorSession"/> (sources, delta engine, console and CSV sinks) in-process, over a
/// <see cref="MutationFixtureRoot"/> whose counters the test moves itself, on a fake clock. Sample k writes every
/// counter as captured + base + k × step, so the true delta of each category between two samples is
/// (k₂ − k₁) × <see cref="MutationFixtureRoot.ExpectedPerStep"/>, known without NetDrop's help; writing the same k twice
/// gives an interval with no drops at all.
/// </summary>
/// <remarks>
/// The session is built on a thread inside a fresh network namespace: its rtnetlink socket, and so the qdisc source,
/// then sees only that namespace's <c>lo</c> (no qdisc drops ever), not the host's busy qdiscs. Links come from the
/// fixture's sysfs (<c>eth0</c> and <c>lo</c>), ethtool is off.
/// </remarks>
internal sealed class FixtureMonitor : IDisposable
{
    /// <summary>The fake clock's start, UTC (the fake clock's local time zone is UTC too).</summary>
    public static readonly DateTimeOffset Start = new(2026, 2, 3, 11, 23, 40, TimeSpan.Zero);

    private readonly NetworkNamespace _namespace;
    private readonly StringWriter _output = new(CultureInfo.InvariantCulture) { NewLine = "\n" };
    private readonly StringWriter _error = new(CultureInfo.InvariantCulture) { NewLine = "\n" };
    private bool _completed;

    public FixtureMonitor(Action<MonitorOptions>? configure = null)
    {
        Root = new MutationFixtureRoot();
        try
        {
            Root.Write(0);
            Options = new MonitorOptions
            {
                ProcRoot = Root.ProcRoot,
                SysRoot = Root.SysRoot,
                LinkSource = LinkSourceKind.Sysfs,
                EthtoolEnabled = false,
                Interfaces = ["eth0", "lo"],
                CsvPath = CsvPath,
                Color = false,
                Interval = TimeSpan.FromSeconds(5),
            };
            configure?.Invoke(Options);
            _namespace = NetworkNamespace.Create("ndfm");
        }
        catch
        {
            Root.Dispose();
            throw;
        }

        try
        {
            Session = _namespace.Run(() => new MonitorSession(Options, _output, _error, Time));
        }
        catch
        {
            _namespace.Dispose();
            Root.Dispose();
            throw;
        }
    }

    public MutationFixtureRoot Root { get; }

    public MonitorOptions Options { get; }

    public MonitorSession Session { get; }

    public FakeTimeProvider Time { get; } = new(Start);

    public string CsvPath => Path.Join(Root.Directory, "drops.log");

    /// <summary>
    /// Moves the fixture's counters to sample <paramref name="k"/> (<paramref name="mutate"/> may replace a file's
    /// bytes, see <see cref="MutationFixtureRoot.Write"/>), lets one interval pass and reports it.
    /// </summary>
    public IntervalReport Interval(int iteration, int k, Func<string, MutationFixtureRoot.Rendered, byte[]?>? mutate = null)
    {
        Root.Write(k, mutate);
        Time.Advance(Options.Interval);
        return Session.ReportInterval(iteration);
    }

    /// <summary>Writes every queued console line and CSV row (as the agent does at stop) and returns stdout.</summary>
    public string Complete()
    {
        if (!_completed)
        {
            Session.CompleteSinks();
            _completed = true;
        }

        return _output.ToString();
    }

    /// <summary>What the session said on stderr.</summary>
    public string Errors => _error.ToString();

    public void Dispose()
    {
        Session.Dispose();
        _namespace.Dispose();
        Root.Dispose();
    }
}
