using NetDrop.Model;
using NetDrop.Configuration;
using NetDrop.Sources;
using NetDrop.Deltas;

using NetDrop.Tests.Sampling;

namespace NetDrop.Tests.Faults;

/// <summary>
/// Issue 15 item 4, end to end: the real sources (procfs readers, the sysfs link reader) read a fixture root through
/// the real <see cref="Sampler"/> and <see cref="DeltaEngine"/>, while the test corrupts one file of one sample. Every
/// category of every interval must then be either the true delta (known from <see cref="MutationFixtureRoot.Steps"/>)
/// or unavailable — never 0 when drops happened, never the counter since boot, never 2^64 − 5. The interval after the
/// bad one must be unavailable too (its previous value was unreadable) and the one after that exact again.
/// </summary>
/// <remarks>
/// <c>qdisc</c> is not asserted: it comes from this host's rtnetlink, not from the fixture root.
/// </remarks>
[Trait("Category", "Fault")]
public sealed class MutationMatrixTests : IDisposable
{
    // Not qdisc (the fixture has no netlink dump), nor the /proc/net/stat tables, which the fixture root has none of
    // (so they are unavailable in every step; ProcNetStatFileTests covers their mutations).
    private static readonly DropCategory[] s_fixtureCategories =
    [
        .. DropCategories.Table.Where(category => category != DropCategories.Qdisc &&
            category.Counters.Terms.All(term => term.Counter.Source != CounterSource.ProcNetStat)),
    ];

    private readonly MutationFixtureRoot _root = new();
    private readonly InterfaceRegistry _registry = new();
    private readonly List<string> _messages = [];

    public static TheoryData<string, MutationKind> Cells()
    {
        var cells = new TheoryData<string, MutationKind>();
        foreach (string file in MutationFixtureRoot.MutableFiles)
        {
            foreach (MutationKind kind in Enum.GetValues<MutationKind>())
            {
                cells.Add(file, kind);
            }
        }

        return cells;
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public void GoodMutatedGood_EveryCategory_IsExactOrUnavailableNeverASpike(string file, MutationKind kind)
    {
        var random = new Random(15);
        using Sampler sampler = CreateSampler();
        var engine = new DeltaEngine(TestPlans.Default, _registry, new SeverityPolicy());
        Sample previous = new(TestPlans.Default), current = new(TestPlans.Default);
        var report = new IntervalReport(DropCategories.Table);

        _root.Write(0);
        sampler.Take(previous);
        var intervals = new List<(string Name, Dictionary<string, ulong?> Cells)>();
        for (int k = 1; k <= 3; k++)
        {
            Func<string, MutationFixtureRoot.Rendered, byte[]?>? mutate = k != 1 ? null : (name, good) => name != file ? null
                : Mutations.Apply(kind, good.Text, good.TargetStart, good.TargetLength, hex: name == MutationFixtureRoot.SoftnetStat, random);
            _root.Write(k, mutate);
            sampler.Take(current);
            engine.Compute(previous, current, report, TimeSpan.FromSeconds(1));
            intervals.Add(($"interval {k}", Cells(report)));
            (previous, current) = (current, previous);
        }

        string what = $"{kind} in {file}";
        AssertExactOrUnavailable(intervals[0].Cells, what + ", good -> mutated");
        AssertExactOrUnavailable(intervals[1].Cells, what + ", mutated -> good");
        AssertAllExact(intervals[2].Cells, what + ", good -> good after it");

        // The mutation hit a value the drop model reads: its category cannot have been read, in either interval.
        // (CRLF only touches line ends: the fields before a '\r' are the kernel's digits, and reading them is exact.)
        if (kind == MutationKind.Crlf)
        {
            return;
        }

        string target = TargetCategory(file);
        Assert.True(intervals[0].Cells[target] is null, $"{what}: {target} was read as {intervals[0].Cells[target]} from the mutated sample");
        Assert.True(intervals[1].Cells[target] is null, $"{what}: {target} was delta'd against the mutated sample ({intervals[1].Cells[target]})");
    }

    [Fact]
    public void RandomMutations_FixedSeed500_NeverASpikeAndRecoverEveryTime()
    {
        // Each iteration: a good sample, one with 1-3 random mutations in random files, then two good ones; the
        // good -> good interval must be exact again.
        var random = new Random(20261201);
        using Sampler sampler = CreateSampler();
        var engine = new DeltaEngine(TestPlans.Default, _registry, new SeverityPolicy());
        Sample previous = new(TestPlans.Default), current = new(TestPlans.Default);
        var report = new IntervalReport(DropCategories.Table);
        int k = 0;
        _root.Write(k);
        sampler.Take(previous);
        int unavailableCells = 0;
        for (int iteration = 0; iteration < 500; iteration++)
        {
            var chosen = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int hits = 1 + random.Next(3); hits > 0; hits--)
            {
                chosen[MutationFixtureRoot.MutableFiles[random.Next(MutationFixtureRoot.MutableFiles.Length)]] = random.Next();
            }

            var applied = new List<string>();
            for (int step = 0; step < 3; step++)
            {
                k++;
                _root.Write(k, step != 0 ? null : (name, good) =>
                {
                    if (!chosen.TryGetValue(name, out int seed))
                    {
                        return null;
                    }

                    byte[] bytes = Mutations.ApplyRandom(good.Text, name == MutationFixtureRoot.SoftnetStat, new Random(seed), out string description);
                    applied.Add($"{name}: {description}");
                    return bytes;
                });
                sampler.Take(current);
                engine.Compute(previous, current, report, TimeSpan.FromSeconds(1));
                Dictionary<string, ulong?> cells = Cells(report);
                string what = $"iteration {iteration}, step {step}, mutations [{string.Join("; ", applied)}]";
                if (step < 2)
                {
                    AssertExactOrUnavailable(cells, what);
                    unavailableCells += cells.Values.Count(value => value is null);
                }
                else
                {
                    AssertAllExact(cells, what);
                }

                (previous, current) = (current, previous);
            }
        }

        Assert.True(unavailableCells > 500, $"only {unavailableCells} cells were unavailable: the mutations did not reach the readers");
    }

    public void Dispose() => _root.Dispose();

    private Sampler CreateSampler() => SourceFactory.CreateSampler(
        new MonitorOptions { ProcRoot = _root.ProcRoot, SysRoot = _root.SysRoot, LinkSource = LinkSourceKind.Sysfs, EthtoolEnabled = false }, TestPlans.Default,
        new InterfaceSelector(["eth0", "lo"], []),
        _registry,
        new SourceHealth(_messages.Add),
        TimeProvider.System);

    private static Dictionary<string, ulong?> Cells(IntervalReport report) =>
        s_fixtureCategories.ToDictionary(category => category.Column, category => report.IsUnavailable(category) ? (ulong?)null : report[category]);

    private static void AssertExactOrUnavailable(Dictionary<string, ulong?> cells, string what)
    {
        foreach ((string column, ulong? value) in cells)
        {
            Assert.True(value is null || value == MutationFixtureRoot.ExpectedPerStep[column],
                $"{what}: {column} = {value}, but the kernel counted {MutationFixtureRoot.ExpectedPerStep[column]} (or it must be unavailable)");
        }
    }

    private static void AssertAllExact(Dictionary<string, ulong?> cells, string what)
    {
        foreach ((string column, ulong? value) in cells)
        {
            Assert.True(value == MutationFixtureRoot.ExpectedPerStep[column],
                $"{what}: {column} = {value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unavailable"}, expected {MutationFixtureRoot.ExpectedPerStep[column]}");
        }
    }

    private static string TargetCategory(string file) => file switch
    {
        MutationFixtureRoot.Netstat => "accept_queue",
        MutationFixtureRoot.Snmp or MutationFixtureRoot.Snmp6 => "udp_rcvbuf",
        MutationFixtureRoot.SoftnetStat => "softirq",
        _ => "nic_rx",
    };
}
