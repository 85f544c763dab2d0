using System.Diagnostics;
using System.Globalization;
using NetDrop.Kernel.Bpf;

namespace NetDrop.Kernel.Tests.Bpf;

/// <summary>
/// Nothing the counter loaded outlives it, as the kernel sees it: BPF_PROG_GET_NEXT_ID / BPF_MAP_GET_NEXT_ID
/// enumerate every program and map loaded on the host. The kernel frees an object when its last reference goes, and
/// a program's maps only after an RCU grace period (kernel/bpf/syscall.c <c>__bpf_prog_put_noref</c> →
/// <c>call_rcu</c>), so each test waits, bounded, for the ids to disappear.
/// </summary>
[Collection(KfreeSkbCollectionDefinition.Name)]
public sealed class DropReasonCounterLifetimeTests
{
    private static readonly TimeSpan s_gone = TimeSpan.FromSeconds(30);

    [Fact]
    public void Dispose_ProgramAndMapLoaded_BothLeaveTheKernel()
    {
        DropReasonCounter counter = DropReasonCounter.Open();
        uint program = counter.ProgramId;
        uint map = counter.MapId;
        Assert.Contains(program, BpfObjects.LoadedIds(programs: true));
        Assert.Contains(map, BpfObjects.LoadedIds(programs: false));

        counter.Dispose();

        WaitUntilGone(program, map);
    }

    [Fact]
    public void Open_VerifierRefusesTheProgram_ThrowsWithTheVerifierLogAndFreesTheMap()
    {
        uint map = 0;
        DropReasonSource source = BtfFile.Read();

        // "exit" alone: R0 is never written, which the verifier refuses ("R0 !read_ok", kernel/bpf/verifier.c).
        var refusal = Assert.Throws<DropReasonsUnavailableException>(() => DropReasonCounter.Open(source, DropReasonCounter.TracepointName,
            (_, mapFd, _) =>
            {
                map = BpfObjects.IdOf(mapFd);
                return [BpfInstruction.Exit()];
            }));

        Assert.Equal(DropReasonsMissing.Load, refusal.Missing);
        Assert.Contains("R0 !read_ok", refusal.Message, StringComparison.Ordinal);
        Assert.NotEqual(0u, map);
        WaitUntilGone(program: 0, map);
    }

    [Fact]
    public void Open_TracepointMissing_ThrowsAndFreesTheLoadedProgramAndMap()
    {
        uint map = 0;
        uint newestBefore = BpfObjects.LoadedIds(programs: true).DefaultIfEmpty(0u).Max();
        DropReasonSource source = BtfFile.Read();

        var refusal = Assert.Throws<DropReasonsUnavailableException>(() => DropReasonCounter.Open(source, "netdrop_no_such_tracepoint",
            (s, mapFd, slots) =>
            {
                map = BpfObjects.IdOf(mapFd);
                return DropReasonProgram.Assemble(s, mapFd, slots);
            }));

        Assert.Equal(DropReasonsMissing.Tracepoint, refusal.Missing);
        Assert.Contains("netdrop_no_such_tracepoint", refusal.Message, StringComparison.Ordinal);

        // The program got an id when it loaded (ids are allocated cyclically upwards, idr_alloc_cyclic); none of ours
        // above the newest id from before may remain.
        Poll.Until(() => !BpfObjects.LoadedIds(programs: true).Any(id => id > newestBefore
            && BpfObjects.NameOf(program: true, id) == DropReasonCounter.ObjectName), s_gone, "the program to be freed");
        WaitUntilGone(program: 0, map);
    }

    [Fact]
    public void ProcessKilled_WhileAttached_KernelFreesProgramAndMap()
    {
        string file = Path.Join(Path.GetTempPath(), "netdrop-abpf-" + Guid.NewGuid().ToString("N"));
        string dotnet = Environment.ProcessPath is { } path && Path.GetFileName(path) == "dotnet" ? path : "dotnet";
        // Its stdin is a pipe the test holds open: the child waits on it, so it lives exactly until it is killed (or, should
        // the test itself die, until the pipe closes).
        var start = new ProcessStartInfo(dotnet) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (string argument in new[] { "exec", typeof(DropReasonChildProcess).Assembly.Location, DropReasonChildProcess.Verb, file })
        {
            start.ArgumentList.Add(argument);
        }

        using Process child = Process.Start(start) ?? throw new InvalidOperationException("could not start the child");
        try
        {
            Poll.Until(() => File.Exists(file) || child.HasExited, s_gone, "the child to attach the program");
            if (child.HasExited)
            {
                Assert.Fail("The child exited before attaching: " + child.StandardError.ReadToEnd());
            }

            uint[] ids = File.ReadAllText(file).Split(' ').Select(id => uint.Parse(id, CultureInfo.InvariantCulture)).ToArray();
            Assert.Contains(ids[0], BpfObjects.LoadedIds(programs: true));

            child.Kill(); // SIGKILL: no Dispose, no finalizer; only the kernel closing the fds can free them
            child.WaitForExit();

            Assert.Equal(137, child.ExitCode); // 128 + SIGKILL
            WaitUntilGone(ids[0], ids[1]);
        }
        finally
        {
            if (!child.HasExited)
            {
                child.Kill();
            }

            File.Delete(file);
        }
    }

    [Fact]
    public async Task Open_RootWithoutCapabilities_RefusesNamingCapBpfAndCapPerfmon()
    {
        // setpriv drops every capability (effective, inheritable, ambient, bounding) but keeps uid 0, so the files
        // (BTF, the test assembly) stay readable and only bpf(2)'s capable(CAP_BPF) check can refuse.
        var start = new ProcessStartInfo("setpriv") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in new[] { "--inh-caps=-all", "--ambient-caps=-all", "--bounding-set=-all", "--",
            Environment.ProcessPath is { } path && Path.GetFileName(path) == "dotnet" ? path : "dotnet",
            "exec", typeof(DropReasonChildProcess).Assembly.Location, DropReasonChildProcess.OpenVerb })
        {
            start.ArgumentList.Add(argument);
        }

        using Process child = Process.Start(start) ?? throw new InvalidOperationException("could not start setpriv");
        using var bound = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        Task<string> output = child.StandardOutput.ReadToEndAsync(bound.Token);
        Task<string> error = child.StandardError.ReadToEndAsync(bound.Token);
        await child.WaitForExitAsync(bound.Token);

        Assert.Equal("", await error);
        Assert.Equal(3, child.ExitCode);
        Assert.StartsWith("Privilege: BPF_MAP_CREATE (per-CPU array)", await output, StringComparison.Ordinal);
        Assert.Contains("needs root or CAP_BPF + CAP_PERFMON", await output, StringComparison.Ordinal);
    }

    private static void WaitUntilGone(uint program, uint map)
    {
        Poll.Until(() => !BpfObjects.LoadedIds(programs: true).Contains(program), s_gone, $"program id {program} to leave the kernel");
        Poll.Until(() => !BpfObjects.LoadedIds(programs: false).Contains(map), s_gone, $"map id {map} to leave the kernel");
    }
}
