using System.Diagnostics;
using System.Globalization;
using NetDrop.Kernel.Procfs;
using NetDrop.Tests.TestSupport;

namespace NetDrop.Tests.Namespaces;

/// <summary>
/// A "pod" for in-process tests: a network namespace of its own (<c>ip netns add</c>, loopback up) with one live task
/// in it (<c>ip netns exec NAME sleep</c>, which execs, so the pid is the sleep), which is what makes the namespace
/// visible under <c>/proc/PID/net</c>. <see cref="Kill"/> ends the task and deletes the name, leaving the namespace
/// alive only as long as someone holds one of its files. Removed on dispose; the sleep is bounded to 10 minutes.
/// </summary>
internal sealed class NamespaceSandbox : IDisposable
{
    private readonly Process _task;

    public NamespaceSandbox()
    {
        Namespace = NetworkNamespace.Create("hnetns");
        Namespace.Ip("link", "set", "lo", "up");
        var start = new ProcessStartInfo("ip") { UseShellExecute = false };
        foreach (string argument in (string[])["netns", "exec", Namespace.Name, "sleep", "600"])
        {
            start.ArgumentList.Add(argument);
        }

        _task = Process.Start(start) ?? throw new InvalidOperationException("could not start ip netns exec");
        Poll.Until(() => File.Exists($"/proc/{_task.Id}/comm") && File.ReadAllText($"/proc/{_task.Id}/comm").Trim() == "sleep",
            TimeSpan.FromSeconds(30), $"pid {_task.Id} to exec sleep");
    }

    public NetworkNamespace Namespace { get; }

    public int Pid => _task.Id;

    /// <summary>The namespace's identity as the agent sees it: the inode of <c>/proc/PID/net/netstat</c>.</summary>
    public ulong Inode() =>
        ulong.Parse(ToolRunner.Run("stat", "-L", "-c", "%i", $"/proc/{Pid}/net/netstat").Trim(), CultureInfo.InvariantCulture);

    /// <summary>This namespace's <c>Udp RcvbufErrors + Udp6 Udp6RcvbufErrors</c>: the test's own oracle for <c>udp_rcvbuf</c>.</summary>
    public long UdpRcvbufErrors()
    {
        long ipv4 = NamespaceMib.Read(Namespace, "Udp:RcvbufErrors")["Udp:RcvbufErrors"];
        long ipv6 = Namespace.Run(() =>
        {
            var snmp6 = new Snmp6File("/proc/thread-self/net/snmp6");
            int handle = snmp6.Register("Udp6RcvbufErrors");
            return snmp6.TryRead(out int errno) && snmp6.TryGetValue(handle, out ulong value)
                ? checked((long)value)
                : throw new InvalidOperationException($"snmp6 of {Namespace.Name} has no Udp6RcvbufErrors (errno {errno})");
        });
        return ipv4 + ipv6;
    }

    /// <summary>Ends the namespace's only task and deletes its name: nothing but open files keeps it alive now.</summary>
    public void Kill()
    {
        if (!_task.HasExited)
        {
            _task.Kill();
            _task.WaitForExit();
        }

        Namespace.Dispose();
    }

    public void Dispose()
    {
        Kill();
        _task.Dispose();
    }
}
