using System.Runtime.InteropServices;

namespace NetDrop.Tests.TestSupport;

/// <summary>Sends a POSIX signal to a process the test started (SIGTERM as systemd and the kubelet do).</summary>
internal static partial class Signals
{
    public const int SIGTERM = 15;

    public static void Send(int pid, int signal) =>
        Assert.True(kill(pid, signal) == 0, $"kill({pid}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int sig);
}
