using System.Diagnostics;
using System.Globalization;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;

namespace NetDrop.Tests.Shared;

/// <summary>
/// A named network namespace (<c>ip netns add</c>) owned by one test, deleted on dispose with the veths and qdiscs in
/// it. Tools run inside it through <c>ip netns exec</c> (<see cref="Exec"/>, <see cref="Shell"/>) or <c>ip -n</c>
/// (<see cref="Ip"/>, <see cref="Tc"/>); test code runs inside it on a dedicated thread that called setns(2)
/// (<see cref="Run{T}"/>), because a socket, a netlink one included, belongs to the namespace of the thread that
/// creates it. Namespaces left by a run that died are swept at the first creation of the next run.
/// </summary>
/// <remarks>
/// Names are <c>PREFIX-PID-RANDOM</c> (hex): the creator's PID lets the sweep spare namespaces of a run still alive in
/// another process (another engineer's suite on the same machine), the random part keeps names unique within a run.
/// </remarks>
public sealed partial class NetworkNamespace : IDisposable
{
    /// <summary>The prefix of namespaces created without one (the ground-truth tests').</summary>
    public const string DefaultPrefix = "ndgt";

    private const string NetnsDirectory = "/run/netns";
    private const int CLONE_NEWNET = 0x40000000; // include/uapi/linux/sched.h

    /// <summary>How long code inside the namespace may run before <see cref="Run{T}"/> gives up on its thread.</summary>
    private static readonly TimeSpan s_joinTimeout = TimeSpan.FromMinutes(2);

    private static readonly Lock s_sweepLock = new();
    private static bool s_swept;

    private bool _deleted;

    private NetworkNamespace(string name)
    {
        Name = name;
    }

    public string Name { get; }

    /// <summary>
    /// Creates a new, empty namespace (only <c>lo</c>, down) named <paramref name="prefix"/>-PID-RANDOM. Throws with
    /// <c>ip</c>'s message when that fails (not root, no iproute2).
    /// </summary>
    public static NetworkNamespace Create(string prefix = DefaultPrefix)
    {
        if (prefix.Length == 0 || prefix.Contains('-', StringComparison.Ordinal))
        {
            throw new ArgumentException($"namespace prefix '{prefix}' must be non-empty and without '-'", nameof(prefix));
        }

        SweepLeftoversOnce();
        string name = string.Create(
            CultureInfo.InvariantCulture,
            $"{prefix}-{Environment.ProcessId:x}-{RandomNumberGenerator.GetHexString(6, lowercase: true)}");
        ToolRunner.Run("ip", "netns", "add", name);
        return new NetworkNamespace(name);
    }

    /// <summary>Runs a command inside the namespace (<c>ip netns exec</c>, which also mounts the namespace's /sys).</summary>
    public string Exec(params string[] command) => ToolRunner.Run("ip", ["netns", "exec", Name, .. command]);

    /// <summary>Runs <c>sh -c <paramref name="script"/></c> inside the namespace and returns its stdout.</summary>
    public string Shell(string script) => Exec("sh", "-c", script);

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
    /// Runs <paramref name="function"/> on a new thread that has entered the namespace and returns its result; what it
    /// throws is rethrown here. The thread ends afterwards, so its namespace never leaks into the thread pool. A
    /// function still running after two minutes is a <see cref="TimeoutException"/>, not a hung test run.
    /// </summary>
    public T Run<T>(Func<T> function) => RunIn(Path.Join(NetnsDirectory, Name), "namespace " + Name, function);

    /// <summary>
    /// <see cref="Run{T}"/> for any network namespace file: a named one, or <c>/proc/PID/ns/net</c> of a task whose
    /// namespace has no name (a <see cref="PodLabPod"/>'s). The namespace file is closed before the function runs, so
    /// once the thread ends nothing of the test holds the namespace.
    /// </summary>
    public static T RunIn<T>(string namespaceFile, string description, Func<T> function)
    {
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                Enter(namespaceFile);
                result = function();
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
            Name = "netns " + description,
        };
        thread.Start();
        if (!thread.Join(s_joinTimeout))
        {
            throw new TimeoutException($"Code running in {description} did not finish within {s_joinTimeout.TotalMinutes} minutes.");
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

    private static void Enter(string path)
    {
        // The thread stays in the namespace until it ends; Run never reuses it for anything else.
        using SafeFileHandle namespaceFile = File.OpenHandle(path);
        if (setns(namespaceFile, CLONE_NEWNET) != 0)
        {
            throw new InvalidOperationException(
                $"setns({path}, CLONE_NEWNET) failed with errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    private static void Delete(string name)
    {
        ProcessRunner.Result result = ToolRunner.TryRun("ip", "netns", "delete", name);
        if (result.ExitCode != 0 && File.Exists(Path.Join(NetnsDirectory, name)))
        {
            throw new InvalidOperationException($"`ip netns delete {name}` failed: {result.Error.Trim()}");
        }
    }

    /// <summary>
    /// Deletes namespaces named like ours (PREFIX-PID-RANDOM) that an earlier, dead run left behind: created before this
    /// process started and named after a process that no longer exists.
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
            foreach (string path in Directory.EnumerateFiles(NetnsDirectory, "nd*"))
            {
                string name = Path.GetFileName(path);
                if (CreatorPid(name) is int pid && pid != Environment.ProcessId && !Directory.Exists($"/proc/{pid}")
                    && File.GetLastWriteTimeUtc(path) < thisRunStartedUtc)
                {
                    Delete(name);
                }
            }
        }
    }

    private static int? CreatorPid(string name)
    {
        string[] parts = name.Split('-');
        return parts.Length == 3
            && parts[2].Length == 6
            && int.TryParse(parts[2], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out _)
            && int.TryParse(parts[1], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int pid)
                ? pid
                : null;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int setns(SafeFileHandle fd, int nstype);
}
