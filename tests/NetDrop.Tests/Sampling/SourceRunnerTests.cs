using Microsoft.Extensions.Time.Testing;
using NetDrop.Kernel;
using NetDrop.Sources.Resilience;
using NetDrop.Sources;

namespace NetDrop.Tests.Sampling;

public class SourceRunnerTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly List<string> _messages = [];

    [Fact]
    public void Read_TransientErrnoOnce_IsRetriedAndTheSampleIsComplete()
    {
        var source = new ScriptedSource(Interop.Errno.EINTR);
        SourceRunner runner = Runner(source, out SourceHealth health);
        var sample = new Sample(TestPlans.Default);

        runner.Read(sample, health);

        Assert.Equal(2, source.Calls);
        Assert.True(sample.IsSourceOk(SourceId.Snmp));
        Assert.Empty(_messages);
    }

    [Fact]
    public void Read_PermanentErrno_IsNotRetried()
    {
        var source = new ScriptedSource(Interop.Errno.EACCES);
        SourceRunner runner = Runner(source, out SourceHealth health);
        var sample = new Sample(TestPlans.Default);

        runner.Read(sample, health);

        Assert.Equal(1, source.Calls);
        Assert.False(sample.IsSourceOk(SourceId.Snmp));
        Assert.Single(_messages, message => message.Contains("unavailable (Permission denied", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_PersistentFailure_OpensTheCircuitStopsReadingThenProbesAndCloses()
    {
        var source = new ScriptedSource(Enumerable.Repeat(Interop.Errno.EACCES, 4).ToArray());
        SourceRunner runner = Runner(source, out SourceHealth health);

        for (int sample = 0; sample < 10; sample++)
        {
            var current = new Sample(TestPlans.Default);
            runner.Read(current, health);
            Assert.False(current.IsSourceOk(SourceId.Snmp));
            _time.Advance(TimeSpan.FromSeconds(5));
        }

        // Three failed samples opened the circuit; the seven after it never touched the kernel.
        Assert.Equal(SourcePipelines.FailuresToBreak, source.Calls);
        Assert.Single(_messages, message => message.Contains("not reading it for 60 s", StringComparison.Ordinal));

        _time.Advance(SourcePipelines.BreakDuration);
        var probe = new Sample(TestPlans.Default);
        runner.Read(probe, health);
        Assert.False(probe.IsSourceOk(SourceId.Snmp)); // the probe fails (4th scripted error): open again

        _time.Advance(SourcePipelines.BreakDuration);
        var recovered = new Sample(TestPlans.Default);
        runner.Read(recovered, health);
        Assert.True(recovered.IsSourceOk(SourceId.Snmp));
        Assert.Contains(_messages, message => message.Contains("readable again; reading it every sample", StringComparison.Ordinal));
        Assert.Equal(5, source.Calls);
    }

    private SourceRunner Runner(ISampleSource source, out SourceHealth health)
    {
        health = new SourceHealth(_messages.Add);
        return new SourceRunner(source, SourcePipelines.Create(source.Description, _time, health.Say));
    }

    /// <summary>Fails with the given errnos in turn, then reads successfully.</summary>
    private sealed class ScriptedSource(params int[] errnos) : ISampleSource
    {
        public int Calls { get; private set; }

        public SourceId Id => SourceId.Snmp;

        public string Description => "/proc/net/snmp";

        public void Read(Sample sample)
        {
            Calls++;
            if (Calls <= errnos.Length)
            {
                throw new KernelSourceException("read /proc/net/snmp", errnos[Calls - 1]);
            }
        }
    }
}
