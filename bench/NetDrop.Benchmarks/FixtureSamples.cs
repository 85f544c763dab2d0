using NetDrop.Kernel.Netlink;
using NetDrop.Kernel.Procfs;
using NetDrop.Sources;

namespace NetDrop.Benchmarks;

/// <summary>
/// Samples built from the captured kernel root: host counters through the real <see cref="MibFileSource"/> and
/// <see cref="SoftnetSource"/> over the fixture's proc root, interfaces and root qdiscs from its raw RTM_GETLINK and
/// RTM_GETQDISC dumps. <c>increment</c> is added to every counter so two samples give non-zero deltas everywhere.
/// </summary>
internal static class FixtureSamples
{
    public static Sample Create(InterfaceRegistry registry, ulong increment)
    {
        var sample = new Sample(BenchPlans.Default);
        foreach (MibFileSource source in MibFileSource.For(BenchPlans.Default, KernelFixture.ProcRoot))
        {
            source.Read(sample);
        }

        new Snmp6Source(BenchPlans.Default, KernelFixture.ProcRoot).Read(sample);
        new SoftnetSource(KernelFixture.ProcRoot).Read(sample);
        for (int slot = 0; slot < BenchPlans.Default.ScalarCounters.Count; slot++)
        {
            if (sample.TryGetCounter(slot, out ulong value))
            {
                sample.SetCounter(slot, true, value + increment);
            }
        }

        SoftnetCpu[] cpus = sample.Softnet.ToArray();
        for (int i = 0; i < cpus.Length; i++)
        {
            cpus[i].Dropped += (uint)increment;
            cpus[i].TimeSqueeze += (uint)increment;
        }

        sample.SetSoftnet(cpus);

        var links = new List<LinkRecord>();
        LinkDump.Parse(KernelFixture.Read("netlink/rtm_getlink.bin"), links);
        foreach (LinkRecord link in links)
        {
            LinkRecord record = link;
            record.Counters.RxDropped += increment;
            record.Counters.TxDropped += increment;
            record.Counters.RxMissedErrors += increment;
            sample.Interfaces.Add(new InterfaceReading
            {
                Series = registry.GetOrAdd(record.Name),
                Name = record.Name,
                IfIndex = record.IfIndex,
                MasterIfIndex = record.MasterIfIndex,
                Counters = record.Counters,
                RingFull = increment,
            });
        }

        var qdiscs = new List<QdiscRecord>();
        QdiscDump.Parse(KernelFixture.Read("netlink/rtm_getqdisc.bin"), qdiscs);
        foreach (QdiscRecord qdisc in qdiscs.Where(q => q.IsRoot || q.IsIngress))
        {
            sample.Qdiscs.Add(new QdiscReading { IfIndex = qdisc.IfIndex, Handle = qdisc.Handle, Parent = qdisc.Parent, Drops = qdisc.Drops + (uint)increment });
        }

        foreach (SourceId source in Enum.GetValues<SourceId>())
        {
            sample.SetSourceOk(source, true);
        }

        sample.SetSourceOk(SourceId.Links, true);
        sample.SetSourceOk(SourceId.Qdisc, true);
        sample.SetSourceOk(SourceId.Ethtool, true);
        return sample;
    }
}
