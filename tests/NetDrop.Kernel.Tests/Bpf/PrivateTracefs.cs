using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;

namespace NetDrop.Kernel.Tests.Bpf;

/// <summary>
/// Runs code on a thread of its own that has a private mount namespace with tracefs mounted at
/// <c>/sys/kernel/tracing</c>: <c>unshare(CLONE_NEWNS)</c> is per thread (kernel/fork.c <c>ksys_unshare</c> gives the
/// thread its own fs_struct and nsproxy; only CLONE_VM/SIGHAND/THREAD need a single-threaded process), mounts are
/// made private first so nothing propagates to the host, and the namespace, with the mount, dies with the thread.
/// The host never sees tracefs mounted.
/// </summary>
internal static partial class PrivateTracefs
{
    public const string Mountpoint = "/sys/kernel/tracing";

    private const int CLONE_NEWNS = 0x00020000;
    private const ulong MS_REC = 0x4000;
    private const ulong MS_PRIVATE = 1 << 18;

    public static T Run<T>(Func<T> action)
    {
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                Check(unshare(CLONE_NEWNS), "unshare(CLONE_NEWNS)");
                Check(mount(null, "/", null, MS_REC | MS_PRIVATE, 0), "mount --make-rprivate /");
                Check(mount("tracefs", Mountpoint, "tracefs", 0, 0), "mount -t tracefs " + Mountpoint);
                result = action();
            }
#pragma warning disable CA1031 // rethrown on the calling thread
            catch (Exception e)
#pragma warning restore CA1031
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
        })
        {
            IsBackground = true,
            Name = "private tracefs",
        };
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result;
    }

    /// <summary>True when the calling thread's mount namespace has a tracefs mounted anywhere.</summary>
    public static bool IsMountedHere() =>
        File.ReadAllLines("/proc/thread-self/mounts").Any(line => line.Split(' ') is [_, _, "tracefs", ..]);

    private static void Check(int result, string what)
    {
        if (result != 0)
        {
            throw new InvalidOperationException($"{what} failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int unshare(int flags);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int mount(string? source, string target, string? filesystemType, ulong flags, nint data);
}
