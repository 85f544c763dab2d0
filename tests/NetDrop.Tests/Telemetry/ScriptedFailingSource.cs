using NetDrop.Kernel;
using NetDrop.Sources;

namespace NetDrop.Tests.Telemetry;

/// <summary>A source that fails with the given errnos in turn, then reads successfully.</summary>
internal sealed class ScriptedFailingSource(params int[] errnos) : ISampleSource
{
    public int Calls { get; private set; }

    public SourceId Id => SourceId.Snmp6;

    public string Description => "/proc/net/snmp6";

    public void Read(Sample sample)
    {
        Calls++;
        if (Calls <= errnos.Length)
        {
            throw new KernelSourceException("read /proc/net/snmp6", errnos[Calls - 1]);
        }
    }
}
