using System.Globalization;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using NetDrop.Kernel.SafeHandles;

namespace NetDrop.Tests.TestSupport;

/// <summary>
/// Runs test code inside a <see cref="PodLabPod"/>'s network namespace, which has no name under <c>/run/netns</c>
/// (<c>unshare --net</c> made it): on a new thread that called setns(2) on <c>/proc/PID/ns/net</c> of the pod's task.
/// A socket belongs to the namespace of the thread that creates it. The thread ends afterwards and the namespace
/// descriptor is closed before the code runs, so nothing of the test holds the pod's namespace once the call returns
/// (a killed pod's namespace must be freed by the kernel, and the test checks that it is).
/// </summary>
internal static class PodNamespace
{
    /// <summary>How long code inside the pod may run before the call gives up on its thread.</summary>
    private static readonly TimeSpan s_joinTimeout = TimeSpan.FromMinutes(2);

    public static T Run<T>(PodLabPod pod, Func<T> function)
    {
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                Enter(pod.Pid);
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
            Name = string.Create(CultureInfo.InvariantCulture, $"pod netns of {pod.Pid}"),
        };
        thread.Start();
        if (!thread.Join(s_joinTimeout))
        {
            throw new TimeoutException($"Code running in the namespace of pod task {pod.Pid} did not finish within {s_joinTimeout.TotalMinutes} minutes.");
        }

        failure?.Throw();
        return result;
    }

    private static void Enter(int pid)
    {
        string path = string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}/ns/net");
        using SafeFdHandle namespaceFile = NamespaceInterop.open(path, NamespaceInterop.O_RDONLY | NamespaceInterop.O_CLOEXEC);
        if (namespaceFile.IsInvalid)
        {
            throw new InvalidOperationException($"open({path}) failed with errno {Marshal.GetLastPInvokeError()}.");
        }

        if (NamespaceInterop.setns(namespaceFile, NamespaceInterop.CLONE_NEWNET) != 0)
        {
            throw new InvalidOperationException($"setns({path}, CLONE_NEWNET) failed with errno {Marshal.GetLastPInvokeError()}.");
        }
    }
}
