using System.Globalization;
using System.Runtime;
using Microsoft.Extensions.Time.Testing;
using NetDrop.Configuration;
using NetDrop.Deltas;
using NetDrop.Model;
using NetDrop.Sinks.Csv;
using NetDrop.Sinks.Terminal;
using NetDrop.Sources;
using NetDrop.Tests.Sampling;

namespace NetDrop.Tests.Namespaces;

/// <summary>
/// The pod-interface path allocates nothing once warm, with drops in every interval: a proc root made of the captured
/// kernel's files plus one "pod" (pid 4242, a kubelet cgroup, its own netstat/snmp/snmp6 and the captured pod veth's
/// <c>net/dev</c>), whose <c>eth0</c> drop columns the test moves before every sample (outside the measurement). Each
/// interval then has a pod-interface delta, formatted by the detail CSV and the console, through the real sampler and
/// delta engine, as <see cref="SamplerAllocationTests"/> measures the node's. The count check makes sure the rows were
/// really produced.
/// </summary>
public sealed class PodInterfaceAllocationTests : IDisposable
{
    private const int SamplesPerRound = 200;
    private const string PodUid = "5f1c2a7e-0d1b-4c3a-9e8f-7a6b5c4d3e2f";

    private static readonly string s_kernelProc = Path.Join(AppContext.BaseDirectory, "Fixtures", "kernel", "proc");
    private static readonly string s_kernelSys = Path.Join(AppContext.BaseDirectory, "Fixtures", "kernel", "sys");
    private static readonly string s_podDev = Path.Join(AppContext.BaseDirectory, "Fixtures", "netdev", "pod-veth-6.18", "dev");

    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("netdrop-poddev-alloc-");
    private readonly string[] _devLines = File.ReadAllLines(s_podDev);
    private int _k;

    public PodInterfaceAllocationTests()
    {
        string proc = Path.Join(_root.FullName, "proc");
        CopyDirectory(s_kernelProc, proc);
        // The node: pid 1, what <proc>/self points at; the pod: pid 4242 with files of its own (another inode each).
        CopyDirectory(Path.Join(s_kernelProc, "net"), Path.Join(proc, "1", "net"));
        File.WriteAllText(Path.Join(proc, "1", "cgroup"), "0::/init.scope\n");
        File.WriteAllText(Path.Join(proc, "1", "comm"), "systemd\n");
        File.CreateSymbolicLink(Path.Join(proc, "self"), "1");
        CopyDirectory(Path.Join(s_kernelProc, "net"), Path.Join(proc, "4242", "net"));
        File.WriteAllText(Path.Join(proc, "4242", "cgroup"), $"0::/kubepods/burstable/pod{PodUid}/{new string('c', 64)}\n");
        File.WriteAllText(Path.Join(proc, "4242", "comm"), "nginx\n");
        MovePodDrops();
    }

    private string ProcRoot => Path.Join(_root.FullName, "proc");

    [Fact]
    public void Interval_PodInterfaceDropsEverySample_AllocateNothingOnceWarm()
    {
        var registry = new InterfaceRegistry();
        var time = new FakeTimeProvider();
        var messages = new List<string>();
        using Sampler sampler = SourceFactory.CreateSampler(
            new MonitorOptions { ProcRoot = ProcRoot, SysRoot = s_kernelSys, LinkSource = LinkSourceKind.Sysfs, EthtoolEnabled = false, NamespaceInterval = TimeSpan.FromSeconds(5) },
            TestPlans.Default, new InterfaceSelector(["eth0"], []), registry, new SourceHealth(messages.Add), time);
        var engine = new DeltaEngine(TestPlans.Default, registry, new SeverityPolicy());
        var report = new IntervalReport(DropCategories.Table, registry) { InterfaceLabel = "eth0", Timestamp = new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero) };
        var detail = new DetailCsvFormatter();
        using var console = new ConsoleSink(TextWriter.Null, color: false, registry);
        Sample previous = new(TestPlans.Default), current = new(TestPlans.Default);
        sampler.Take(previous);

        int podRows = 0;
        long Round()
        {
            long allocated = 0;
            for (int i = 0; i < SamplesPerRound; i++)
            {
                MovePodDrops(); // outside the measurement: the test moves the kernel's counters
                long before = GC.GetAllocatedBytesForCurrentThread();
                time.Advance(TimeSpan.FromSeconds(5));
                sampler.Take(current);
                engine.Compute(previous, current, report, TimeSpan.FromSeconds(5));
                podRows += detail.Format(report).IndexOf("pod,"u8) >= 0 ? 1 : 0;
                console.Write(report);
                allocated += GC.GetAllocatedBytesForCurrentThread() - before;
                (previous, current) = (current, previous);
            }

            return allocated;
        }

        for (int round = 0; round < 3; round++)
        {
            _ = Round();
        }

        const int MaxRounds = 100;
        for (int round = 0; round < MaxRounds; round++)
        {
            podRows = 0;
            long compiledBefore = JitInfo.GetCompiledMethodCount(currentThread: true);
            long allocated = Round();
            if (JitInfo.GetCompiledMethodCount(currentThread: true) != compiledBefore)
            {
                continue;
            }

            Assert.Empty(messages);
            PodInterfaceDelta eth0 = Assert.Single(report.PodInterfaces);
            Assert.Equal(PodUid, eth0.Owner.PodUid);
            Assert.Equal("eth0", eth0.Name);
            Assert.Equal(3UL, report.ValueOf(eth0, DropCategories.NicRx)); // MovePodDrops: +3 rx, +2 tx per sample
            Assert.Equal(2UL, report.ValueOf(eth0, DropCategories.NicTx));
            Assert.Equal(SamplesPerRound, podRows);
            Assert.True(0 == allocated, $"{allocated} bytes allocated over {SamplesPerRound} warm samples ({allocated / (double)SamplesPerRound:F1} per sample)");
            return;
        }

        throw new Xunit.Sdk.XunitException($"no round of {SamplesPerRound} samples ran without JIT compiling in {MaxRounds} rounds");
    }

    public void Dispose() => _root.Delete(recursive: true);

    // The captured eth0 line with its rx and tx drop columns at base + 3k and base + 2k (in place: the agent keeps the
    // file's descriptor and reads it again from offset 0, as it does procfs).
    private void MovePodDrops()
    {
        _k++;
        var lines = new List<string>();
        foreach (string line in _devLines)
        {
            if (!line.TrimStart().StartsWith("eth0:", StringComparison.Ordinal))
            {
                lines.Add(line);
                continue;
            }

            string[] numbers = line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            numbers[3] = (41 + (3 * _k)).ToString(CultureInfo.InvariantCulture);
            numbers[11] = (23 + (2 * _k)).ToString(CultureInfo.InvariantCulture);
            lines.Add("  eth0: " + string.Join(' ', numbers));
        }

        File.WriteAllText(Path.Join(ProcRoot, "4242", "net", "dev"), string.Join('\n', lines) + "\n");
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string file in Directory.EnumerateFiles(from))
        {
            File.Copy(file, Path.Join(to, Path.GetFileName(file)));
        }

        foreach (string directory in Directory.EnumerateDirectories(from))
        {
            CopyDirectory(directory, Path.Join(to, Path.GetFileName(directory)));
        }
    }
}
