using System.Runtime.InteropServices;
using System.Text;
using NetDrop.Kernel.SafeHandles;

namespace NetDrop.Tests.TestSupport;

/// <summary>
/// Reads a file with open(2)/read(2) only. .NET's FileStream takes a flock(2) on Unix (LOCK_SH, or LOCK_EX for
/// FileShare.None) and fails if the writer holds an incompatible one; the test must read the monitor's CSV whatever
/// the monitor chose.
/// </summary>
internal static class UnlockedFile
{
    public static unsafe string ReadAllText(string path)
    {
        using SafeFdHandle file = NamespaceInterop.open(path, NamespaceInterop.O_RDONLY | NamespaceInterop.O_CLOEXEC);
        if (file.IsInvalid)
        {
            throw new IOException($"open({path}) failed with errno {Marshal.GetLastPInvokeError()}.");
        }

        using var content = new MemoryStream();
        byte[] buffer = new byte[64 * 1024];
        fixed (byte* data = buffer)
        {
            while (true)
            {
                nint read = NamespaceInterop.read(file, data, (nuint)buffer.Length);
                if (read < 0)
                {
                    throw new IOException($"read({path}) failed with errno {Marshal.GetLastPInvokeError()}.");
                }

                if (read == 0)
                {
                    break;
                }

                content.Write(buffer, 0, (int)read);
            }
        }

        return Encoding.UTF8.GetString(content.GetBuffer(), 0, (int)content.Length);
    }
}
