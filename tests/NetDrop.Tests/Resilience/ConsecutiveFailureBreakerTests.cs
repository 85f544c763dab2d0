using Microsoft.Extensions.Time.Testing;
using NetDrop.Kernel;
using NetDrop.Sources.Resilience;
using NetDrop.Sources;

using NetDrop.Tests.Sampling;

namespace NetDrop.Tests.Resilience;

public class ConsecutiveFailureBreakerTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly List<string> _messages = [];

    [Fact]
    public void Read_ThreeFailuresInARowAfterASuccess_OpensTheCircuit()
    {
        // "Fails three samples in a row" (README): the success before them does not count. Polly's ratio breaker kept
        // the circuit closed here until the success had aged out of its 30 s window, three more samples later.
        var source = new SwitchableSource();
        SourceRunner runner = Runner(source, out SourceHealth health);
        Read(runner, health);
        source.Errno = Interop.Errno.EACCES;

        for (int sample = 0; sample < SourcePipelines.FailuresToBreak; sample++)
        {
            Read(runner, health);
        }

        Assert.Single(_messages, message => message.Contains("failed 3 samples in a row", StringComparison.Ordinal));
        int calls = source.Calls;
        Read(runner, health);
        Assert.Equal(calls, source.Calls); // open: the kernel is left alone
    }

    [Fact]
    public void Read_FailuresBrokenByASuccess_KeepTheCircuitClosed()
    {
        var source = new SwitchableSource();
        SourceRunner runner = Runner(source, out SourceHealth health);

        foreach (int errno in new[] { Interop.Errno.EACCES, Interop.Errno.EACCES, 0, Interop.Errno.EACCES, Interop.Errno.EACCES, 0 })
        {
            source.Errno = errno;
            Read(runner, health);
        }

        Assert.Equal(6, source.Calls);
        Assert.DoesNotContain(_messages, message => message.Contains("in a row", StringComparison.Ordinal));
    }

    private void Read(SourceRunner runner, SourceHealth health)
    {
        runner.Read(new Sample(TestPlans.Default), health);
        _time.Advance(TimeSpan.FromSeconds(5));
    }

    private SourceRunner Runner(ISampleSource source, out SourceHealth health)
    {
        health = new SourceHealth(_messages.Add);
        return new SourceRunner(source, SourcePipelines.Create(source.Description, _time, health.Say));
    }

    /// <summary>Fails with <see cref="Errno"/> while it is not 0.</summary>
    private sealed class SwitchableSource : ISampleSource
    {
        public int Errno { get; set; }

        public int Calls { get; private set; }

        public SourceId Id => SourceId.Snmp;

        public string Description => "/proc/net/snmp";

        public void Read(Sample sample)
        {
            Calls++;
            if (Errno != 0)
            {
                throw new KernelSourceException("read /proc/net/snmp", Errno);
            }
        }
    }
}
