using NetDrop.Kernel;
using NetDrop.Kernel.Procfs;

namespace NetDrop.Sources;

/// <summary>
/// Reads <c>/proc/net/softnet_stat</c>. NOTE: unlike the MIB files it is not per network namespace: it counts the
/// whole host's per-CPU backlog, whichever namespace reads it. Text that is not softnet_seq_show's format fails the
/// whole read (<c>EBADMSG</c>): softirq and softnet_squeeze are then unavailable, never read as a CPU gone offline.
/// </summary>
internal sealed class SoftnetSource : ISampleSource
{
    private readonly SoftnetStatFile _file;

    public SoftnetSource(string procRoot)
    {
        _file = new SoftnetStatFile(KernelPaths.SoftnetStat(procRoot));
    }

    public SourceId Id => SourceId.Softnet;

    public string Description => _file.Path;

    public void Read(Sample sample)
    {
        if (!_file.TryRead(out int errno))
        {
            throw new KernelSourceException("read " + _file.Path, errno);
        }

        sample.SetSoftnet(_file.Cpus);
    }
}
