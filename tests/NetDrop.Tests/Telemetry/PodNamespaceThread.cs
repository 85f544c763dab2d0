using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using NetDrop.Kernel.SafeHandles;
using NetDrop.Tests.TestSupport;

namespace NetDrop.Tests.Telemetry;

/// <summary>
/// Runs test code in a <see cref="PodLabPod"/>'s network namespace: on a new thread that entered it with setns(2)
/// through <c>/proc/PID/ns/net</c> (a socket belongs to the namespace of the thread that creates it). The thread ends
/// afterwards; nothing keeps the namespace open once it has, so killing the pod frees it.
/// </summary>
internal static class PodNamespaceThread
{
    private static readonly TimeSpan s_joinTimeout = TimeSpan.FromMinutes(2);

    public static T Run<T>(PodLabPod pod, Func<T> function)
    {
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using (SafeFdHandle handle = NamespaceInterop.open($"/proc/{pod.Pid}/ns/net", NamespaceInterop.O_RDONLY | NamespaceInterop.O_CLOEXEC))
                {
                    if (handle.IsInvalid || NamespaceInterop.setns(handle, NamespaceInterop.CLONE_NEWNET) != 0)
                    {
                        throw new InvalidOperationException($"entering the network namespace of pid {pod.Pid} failed with errno {Marshal.GetLastPInvokeError()}");
                    }
                }

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
            Name = $"netns of pid {pod.Pid}",
        };
        thread.Start();
        if (!thread.Join(s_joinTimeout))
        {
            throw new TimeoutException($"code in the network namespace of pid {pod.Pid} did not finish within {s_joinTimeout.TotalMinutes} minutes");
        }

        failure?.Throw();
        return result;
    }
}
