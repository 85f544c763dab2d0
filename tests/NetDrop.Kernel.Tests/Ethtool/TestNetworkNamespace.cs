using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace NetDrop.Kernel.Tests.Ethtool;

/// <summary>
/// A network namespace this test creates (unique name) and deletes on dispose, with helpers to run <c>ip</c> in it and
/// to create objects (sockets) inside it from this process via setns(2) on a dedicated thread.
/// </summary>
internal sealed partial class TestNetworkNamespace : IDisposable
{
    private const int CLONE_NEWNET = 0x40000000;

    public TestNetworkNamespace()
    {
        Name = "nd-eth-" + Guid.NewGuid().ToString("N")[..10];
        Ip($"netns add {Name}");
    }

    public string Name { get; }

    /// <summary>Runs <c>ip -n NAME ARGS</c>; throws with ip's stderr when it fails.</summary>
    public string IpIn(string arguments) => Ip($"-n {Name} {arguments}");

    /// <summary>
    /// Runs <paramref name="create"/> on a fresh thread switched into this namespace, so sockets it opens belong here;
    /// the thread switches back before it ends.
    /// </summary>
    public T CreateInside<T>(Func<T> create)
    {
        T? result = default;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using SafeFileHandle original = File.OpenHandle("/proc/thread-self/ns/net");
                using SafeFileHandle target = File.OpenHandle(Path.Join("/run/netns", Name));
                Check(setns(target, CLONE_NEWNET), "setns into " + Name);
                try
                {
                    result = create();
                }
                finally
                {
                    Check(setns(original, CLONE_NEWNET), "setns back");
                }
            }
            catch (Exception e)
            {
                failure = e;
            }
        });
        thread.Start();
        thread.Join();
        if (failure is not null)
        {
            throw new InvalidOperationException("Creating inside network namespace " + Name + " failed", failure);
        }

        return result!;
    }

    public void Dispose() => Ip($"netns delete {Name}");

    public static string Ip(string arguments)
    {
        var start = new ProcessStartInfo("ip", arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using Process process = Process.Start(start) ?? throw new InvalidOperationException("cannot start ip");
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        if (!process.WaitForExit(10_000) || process.ExitCode != 0)
        {
            throw new InvalidOperationException($"ip {arguments} failed ({process.ExitCode}): {error}");
        }

        return output;
    }

    private static void Check(int result, string what)
    {
        if (result != 0)
        {
            throw new InvalidOperationException($"{what}: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int setns(SafeFileHandle fd, int nstype);
}
