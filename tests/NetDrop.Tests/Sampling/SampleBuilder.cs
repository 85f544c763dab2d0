using NetDrop.Kernel.Netlink;
using NetDrop.Kernel.Snapshots;
using NetDrop.Model;
using NetDrop.Sources;

namespace NetDrop.Tests.Sampling;

/// <summary>Builds samples by hand for delta-engine tests: every source readable, every counter present at zero.</summary>
internal sealed class SampleBuilder
{
    private readonly CounterPlan _plan;
    private readonly Sample _sample;

    public SampleBuilder(CounterPlan? plan = null)
    {
        _plan = plan ?? TestPlans.Default;
        _sample = new Sample(_plan);
        for (int slot = 0; slot < _plan.ScalarCounters.Count; slot++)
        {
            _sample.SetCounter(slot, true, 0);
        }

        foreach (SourceId source in Enum.GetValues<SourceId>())
        {
            _sample.SetSourceOk(source, true);
        }
    }

    public SampleBuilder Host(KernelCounter counter, ulong value)
    {
        _sample.SetCounter(SlotOf(counter), true, value);
        return this;
    }

    public SampleBuilder MissingHost(KernelCounter counter)
    {
        _sample.SetCounter(SlotOf(counter), false, 0);
        return this;
    }

    public SampleBuilder Failed(SourceId source)
    {
        _sample.SetSourceOk(source, false);
        return this;
    }

    public SampleBuilder Interface(
        int series, int ifIndex, ulong rxDropped = 0, ulong txDropped = 0, ulong missed = 0, int master = 0, ulong ringFull = 0,
        LinkKind masterKind = LinkKind.Other)
    {
        _sample.Interfaces.Add(new InterfaceReading
        {
            Series = series,
            IfIndex = ifIndex,
            MasterIfIndex = master,
            MasterKind = masterKind,
            RingFull = ringFull,
            Counters = new LinkCounters { RxDropped = rxDropped, TxDropped = txDropped, RxMissedErrors = missed },
        });
        return this;
    }

    public SampleBuilder Qdisc(int ifIndex, uint handle, uint parent, uint drops, string kind = "pfifo_fast", ulong packets = 0, ulong bytes = 0)
    {
        _sample.Qdiscs.Add(new QdiscReading
        {
            IfIndex = ifIndex,
            Handle = handle,
            Parent = parent,
            Kind = QdiscKind.FromString(kind),
            Packets = packets,
            Bytes = bytes,
            Drops = drops,
        });
        return this;
    }

    public SampleBuilder Softnet(params (int Cpu, uint Dropped, uint Squeeze)[] cpus)
    {
        _sample.SetSoftnet([.. cpus.Select(cpu => new NetDrop.Kernel.Procfs.SoftnetCpu { Cpu = cpu.Cpu, Dropped = cpu.Dropped, TimeSqueeze = cpu.Squeeze })]);
        return this;
    }

    public Sample Build() => _sample;

    private int SlotOf(KernelCounter counter)
    {
        int slot = _plan.IndexOf(counter);
        Assert.True(slot >= 0, $"no category reads {counter}");
        return slot;
    }
}
