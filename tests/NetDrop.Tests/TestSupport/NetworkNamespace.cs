using System.Diagnostics;
using System.Globalization;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using NetDrop.Kernel.SafeHandles;

namespace NetDrop.Tests.TestSupport;

/// <summary>
/// A named network namespace (<c>ip netns add</c>) owned by one test run. Tools run inside it through
/// <c>ip netns exec</c>; test code runs inside it on a dedicated thread that called setns(2), so every socket that
/// code creates belongs to the namespace. Disposing deletes it; namespaces left by a run that died are swept at the
/// first creation of the next run.
/// </summary>
/// <remarks>
/// Names are <c>ndgt-PID-RANDOM</c> (hex): the creator's PID lets the sweep spare namespaces of a run still alive in
/// another process, the random part keeps names unique within a run.
/// </remarks>
public sealed class NetworkNamespace : IDisposable
{
    public const string NamePrefix = "ndgt-";

    private const string NetnsDirectory = "/run/netns";

    private static readonly Lock s_sweepLock = new();
    private static bool s_swept;

    private bool _deleted;

    private NetworkNamespace(string name)
    {
        Name = name;
    }

    public string Name { get; }

    /// <summary>Creates a new, empty namespace (only <c>lo</c>, down). Throws with <c>ip</c>'s message when that fails.</summary>
    public static NetworkNamespace Create()
    {
        SweepLeftoversOnce();
        string name = string.Create(
            CultureInfo.InvariantCulture,
            $"{NamePrefix}{Environment.ProcessId:x}-{RandomNumberGenerator.GetHexString(6, lowercase: true)}");
        ToolRunner.Run("ip", "netns", "add", name);
        return new NetworkNamespace(name);
    }

    /// <summary>Runs a command inside the namespace (<c>ip netns exec</c>, which also mounts the namespace's /sys).</summary>
    public string Exec(params string[] command) => ToolRunner.Run("ip", ["netns", "exec", Name, .. command]);

    /// <summary>Runs <c>ip -n NAME ...</c>: iproute2 commands addressed to the namespace.</summary>
    public string Ip(params string[] arguments) => ToolRunner.Run("ip", ["-n", Name, .. arguments]);

    /// <summary>Runs <c>tc -n NAME ...</c>.</summary>
    public string Tc(params string[] arguments) => ToolRunner.Run("tc", ["-n", Name, .. arguments]);

    /// <summary>
    /// Writes a namespace-scoped sysctl such as <c>net/ipv4/tcp_syncookies</c>. /proc/sys/net resolves to the network
    /// namespace of the task that opens the file, here a thread inside this namespace; the host's value is untouched.
    /// </summary>
    public void WriteSysctl(string key, string value) => Run(() => File.WriteAllText($"/proc/sys/{key}", value));

    /// <summary>Reads a namespace-scoped sysctl (see <see cref="WriteSysctl"/>).</summary>
    public string ReadSysctl(string key) => Run(() => File.ReadAllText($"/proc/sys/{key}").Trim());

    /// <summary>Runs <paramref name="action"/> on a new thread that has entered the namespace.</summary>
    public void Run(Action action) => Run<object?>(() =>
    {
        action();
        return null;
    });

    /// <summary>
    /// Runs <paramref name="function"/> on a new thread that has entered the namespace and returns its result. The
    /// thread ends afterwards, so its namespace never leaks into the thread pool.
    /// </summary>
    public T Run<T>(Func<T> function)
    {
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                Enter();
                result = function();
            }
            catch (Exception e)
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
        })
        {
            IsBackground = true,
            Name = $"netns {Name}",
        };
        thread.Start();
        if (!thread.Join(TimeSpan.FromMinutes(2)))
        {
            throw new TimeoutException($"Code running in namespace {Name} did not finish within 2 minutes.");
        }

        failure?.Throw();
        return result;
    }

    public void Dispose()
    {
        if (_deleted)
        {
            return;
        }

        _deleted = true;
        Delete(Name);
    }

    private void Enter()
    {
        using SafeFdHandle namespaceFile = NamespaceInterop.open(
            Path.Combine(NetnsDirectory, Name), NamespaceInterop.O_RDONLY | NamespaceInterop.O_CLOEXEC);
        if (namespaceFile.IsInvalid)
        {
            throw new InvalidOperationException(
                $"open({NetnsDirectory}/{Name}) failed with errno {Marshal.GetLastPInvokeError()}.");
        }

        if (NamespaceInterop.setns(namespaceFile, NamespaceInterop.CLONE_NEWNET) != 0)
        {
            throw new InvalidOperationException(
                $"setns({Name}, CLONE_NEWNET) failed with errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    private static void Delete(string name)
    {
        ProcessRunner.Result result = ToolRunner.TryRun("ip", "netns", "delete", name);
        if (result.ExitCode != 0 && Directory.Exists(NetnsDirectory) && File.Exists(Path.Combine(NetnsDirectory, name)))
        {
            throw new InvalidOperationException($"`ip netns delete {name}` failed: {result.Error.Trim()}");
        }
    }

    /// <summary>
    /// Deletes namespaces with our prefix that an earlier, dead run left behind: created before this process started
    /// and named after a process that no longer exists.
    /// </summary>
    private static void SweepLeftoversOnce()
    {
        lock (s_sweepLock)
        {
            if (s_swept)
            {
                return;
            }

            s_swept = true;
            if (!Directory.Exists(NetnsDirectory))
            {
                return;
            }

            DateTime thisRunStartedUtc = Process.GetCurrentProcess().StartTime.ToUniversalTime();
            foreach (string path in Directory.EnumerateFiles(NetnsDirectory, NamePrefix + "*"))
            {
                string name = Path.GetFileName(path);
                if (File.GetLastWriteTimeUtc(path) < thisRunStartedUtc && !CreatorIsAlive(name))
                {
                    Delete(name);
                }
            }
        }
    }

    private static bool CreatorIsAlive(string name)
    {
        string[] parts = name[NamePrefix.Length..].Split('-');
        return parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int pid)
            && pid != Environment.ProcessId
            && Directory.Exists($"/proc/{pid}");
    }
}
