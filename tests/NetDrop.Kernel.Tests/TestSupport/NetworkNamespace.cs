using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;

namespace NetDrop.Kernel.Tests.TestSupport;

/// <summary>
/// A network namespace created by a test (<c>ip netns add</c> with a unique name) and deleted on dispose, with the
/// veths and qdiscs inside it. Code runs inside it either through <c>ip netns exec</c> (<see cref="Exec"/>) or on a
/// dedicated thread that has called <c>setns(2)</c> (<see cref="Run{T}"/>): sockets, netlink ones included, belong to
/// the namespace of the thread that creates them.
/// </summary>
internal sealed partial class NetworkNamespace : IDisposable
{
    private const int CLONE_NEWNET = 0x40000000;
    private const int O_RDONLY = 0;
    private const int O_CLOEXEC = 0x80000;

    private bool _disposed;

    private NetworkNamespace(string name)
    {
        Name = name;
    }

    public string Name { get; }

    /// <summary>Creates a namespace named <paramref name="prefix"/> plus a random suffix; throws if <c>ip</c> cannot.</summary>
    public static NetworkNamespace Create(string prefix)
    {
        string name = $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];
        HostTool.Run("ip", "netns", "add", name);
        return new NetworkNamespace(name);
    }

    /// <summary>Runs <c>sh -c <paramref name="command"/></c> inside the namespace and returns its stdout.</summary>
    public string Exec(string command) => HostTool.Run("ip", "netns", "exec", Name, "sh", "-c", command);

    /// <summary>Runs <paramref name="action"/> on a new thread that has entered the namespace, and returns its result.</summary>
    public T Run<T>(Func<T> action)
    {
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                Enter();
                result = action();
            }
#pragma warning disable CA1031 // rethrown on the calling thread below
            catch (Exception e)
#pragma warning restore CA1031
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
        })
        {
            IsBackground = true,
            Name = "netns " + Name,
        };
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result;
    }

    public void Run(Action action) => Run(() =>
    {
        action();
        return 0;
    });

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        HostTool.Run("ip", "netns", "delete", Name);
    }

    private void Enter()
    {
        // NOTE: the thread stays in the namespace until it ends; Run never reuses it for anything else.
        int fd = open("/var/run/netns/" + Name, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
        {
            throw new InvalidOperationException(
                $"open /var/run/netns/{Name} failed: errno {Marshal.GetLastPInvokeError()}");
        }

        try
        {
            if (setns(fd, CLONE_NEWNET) != 0)
            {
                throw new InvalidOperationException(
                    $"setns({Name}, CLONE_NEWNET) failed: errno {Marshal.GetLastPInvokeError()}");
            }
        }
        finally
        {
            _ = close(fd);
        }
    }

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string pathname, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int setns(int fd, int nstype);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int close(int fd);
}
