using NetDrop.Kernel;
using NetDrop.Kernel.Procfs;

namespace NetDrop.Sampling;

/// <summary>
/// Reads <c>/proc/net/softnet_stat</c>. NOTE: unlike the MIB files it is not per network namespace: it counts the
/// whole host's per-CPU backlog, whichever namespace reads it.
/// </summary>
internal sealed class SoftnetSource
{
    private readonly SoftnetStatFile _file;

    public SoftnetSource(string procRoot)
    {
        _file = new SoftnetStatFile(KernelPaths.SoftnetStat(procRoot));
    }

    public void Read(Sample sample, SourceHealth health)
    {
        bool ok = _file.TryRead(out int errno);
        health.Report(SourceId.Softnet, ok, errno, _file.Path);
        if (ok)
        {
            sample.SetSoftnet(_file.Cpus);
        }
    }
}
