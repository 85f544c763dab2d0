using System.Globalization;
using NetDrop.Kernel.Procfs;

namespace NetDrop.Kernel.Namespaces;

/// <summary>
/// The open counter files of one network namespace, reached through a task in it: <c>&lt;proc&gt;/PID/net/netstat</c>,
/// <c>snmp</c>, <c>snmp6</c> and <c>dev</c>. Each keeps its descriptor after the first read (see
/// <see cref="KernelFile"/>) and so keeps reading <em>this</em> namespace whatever happens to the task or its pid.
/// </summary>
/// <remarks>
/// <para>
/// NOTE: an open descriptor holds the namespace alive. <c>netstat</c>, <c>snmp</c> and <c>snmp6</c> are
/// <c>proc_create_net_single</c> files and <c>dev</c> a <c>proc_create_net</c> one; their open
/// (fs/proc/proc_net.c: <c>single_open_net</c> / <c>seq_open_net</c>) takes a reference with
/// <c>get_proc_net</c> → <c>maybe_get_net</c>, dropped only by <c>put_net</c> in their release. While any is open,
/// the namespace's <c>cleanup_net</c> never runs: its interfaces, sockets and memory stay. <see cref="Dispose"/>
/// closes all four as soon as the namespace has no live task left.
/// </para>
/// <para>
/// NOTE: the pid is only the way in. <see cref="TryOpen"/> checks after opening that the task is still in the
/// namespace it was found in (its <c>net/netstat</c> has the same inode), so a pid that died and was reused between
/// the scan and the open cannot hand us another namespace's files.
/// </para>
/// </remarks>
internal sealed class NetworkNamespaceFiles : IDisposable
{
    private NetworkNamespaceFiles(string netDirectory)
    {
        Netstat = new MibFile(Path.Join(netDirectory, "netstat"));
        Snmp = new MibFile(Path.Join(netDirectory, "snmp"));
        Snmp6 = new Snmp6File(Path.Join(netDirectory, "snmp6"));
        Dev = new NetDevFile(Path.Join(netDirectory, "dev"));
    }

    public MibFile Netstat { get; }

    public MibFile Snmp { get; }

    public Snmp6File Snmp6 { get; }

    public NetDevFile Dev { get; }

    /// <summary>Whether <see cref="Dispose"/> closed the files; every read fails with <c>EBADF</c> from then on (the pid may be anyone's now).</summary>
    public bool IsReleased { get; private set; }

    /// <summary>
    /// Opens (reads once) the four files of the namespace task <paramref name="pid"/> is in, and confirms the task is
    /// still in the namespace whose netstat inode is <paramref name="namespaceId"/>. Returns null when the task died
    /// or moved meanwhile, or netstat cannot be read; <c>snmp6</c> may be missing (IPv6 disabled).
    /// </summary>
    public static NetworkNamespaceFiles? TryOpen(string procRoot, int pid, ulong namespaceId)
    {
        string netDirectory = Path.Join(procRoot, pid.ToString(CultureInfo.InvariantCulture), "net");
        var files = new NetworkNamespaceFiles(netDirectory);
        bool opened = files.Netstat.TryRead(out _);
        if (opened)
        {
            _ = files.Snmp.TryRead(out _);
            _ = files.Snmp6.TryRead(out _);
            _ = files.Dev.TryRead(out _);
            opened = NetworkNamespaceScanner.TryGetNamespaceId(Path.Join(netDirectory, "netstat"), out ulong id) && id == namespaceId;
        }

        if (!opened)
        {
            files.Dispose();
            return null;
        }

        // PERF: the readers are sized for the node's files (netstat 16 KiB, snmp 16 KiB, snmp6 8 KiB, dev 4 KiB); a
        // pod's are 4.0, 1.2, 3.0 and 0.3-0.7 KiB (6.x kernel, one veth). Kept for every namespace, the difference was
        // ~36 KB each, ~3.9 MB resident with 110 pods.
        files.Netstat.FitBufferToLastRead();
        files.Snmp.FitBufferToLastRead();
        files.Snmp6.FitBufferToLastRead();
        files.Dev.FitBufferToLastRead();
        return files;
    }

    public void Dispose()
    {
        IsReleased = true;
        Netstat.Close();
        Snmp.Close();
        Snmp6.Close();
        Dev.Close();
    }
}
