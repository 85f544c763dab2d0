using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using NetDrop.Configuration;

namespace NetDrop.Cli;

/// <summary>
/// <c>netdrop prepare-log-dir DIR --owner UID:GID</c>: creates the CSV directory and hands it to the agent's user.
/// It exists for the DaemonSet's opt-in init container: a hostPath directory is created root-owned 0755 by the
/// kubelet (fsGroup does not apply to hostPath), the agent runs as uid 1654, and the chiseled image has no shell
/// to run <c>chown</c> with. The init container runs this as root holding only CAP_CHOWN and CAP_FOWNER.
/// </summary>
internal static class PrepareLogDirCommand
{
    // rwxr-xr-x: the agent writes, node operators (root or not) read the CSV with awk or netdrop analyze.
    private const UnixFileMode DirectoryMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
        UnixFileMode.GroupRead | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private static readonly Argument<string> s_directory = new("DIR")
    {
        Description = "The directory the CSV logs go to (created with its parents if missing).",
    };

    private static readonly Option<string> s_owner = new("--owner")
    {
        Description = "Numeric UID:GID to own the directory and the files directly in it, e.g. 1654:1654 (the image's app user).",
        Required = true,
    };

    /// <summary>The <c>prepare-log-dir</c> subcommand.</summary>
    public static Command Create()
    {
        var command = new Command("prepare-log-dir", """
            Create a log directory and give it (and the files directly in it) to UID:GID, mode 0755. Symbolic links
            are never followed. Needs root or CAP_CHOWN + CAP_FOWNER; meant for an init container, not for daily use.

            Example:
              netdrop prepare-log-dir /var/log/netdrop --owner 1654:1654
            """);
        command.Arguments.Add(s_directory);
        command.Options.Add(s_owner);
        command.SetAction((ParseResult result, CancellationToken cancellationToken) =>
        {
            (uint uid, uint gid) = ParseOwner(result.GetValue(s_owner)!);
            string directory = result.GetValue(s_directory)!;
            int files = Prepare(directory, uid, gid);
            System.Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"netdrop: {directory} is ready: owner {uid}:{gid}, mode 0755, {files} existing file(s) re-owned"));
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    /// <summary>Creates and re-owns <paramref name="directory"/>; returns how many regular files in it were re-owned.</summary>
    /// <exception cref="IOException">The path is a symbolic link or a file, or the kernel refused the change.</exception>
    public static int Prepare(string directory, uint uid, uint gid)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("prepare-log-dir runs on Linux only");
        }

        var info = new DirectoryInfo(directory);
        if (info.LinkTarget is not null)
        {
            throw new IOException($"'{directory}' is a symbolic link; refusing to re-own what it points to");
        }

        info.Create();
        File.SetUnixFileMode(directory, DirectoryMode);
        ChangeOwner(directory, uid, gid);

        // Files left by an earlier agent that ran as another user (rotated CSVs included) would stop the new one
        // from appending. Only regular files directly inside are touched: nothing is followed or recursed into.
        int files = 0;
        foreach (FileInfo file in info.EnumerateFiles())
        {
            if (file.LinkTarget is null)
            {
                ChangeOwner(file.FullName, uid, gid);
                files++;
            }
        }

        return files;
    }

    private static void ChangeOwner(string path, uint uid, uint gid)
    {
        if (Interop.Libc.lchown(path, uid, gid) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            string hint = errno == Interop.Errno.EPERM ? " (needs root or CAP_CHOWN)" : string.Empty;
            throw new IOException(string.Create(CultureInfo.InvariantCulture,
                $"cannot give '{path}' to {uid}:{gid}: {Marshal.GetPInvokeErrorMessage(errno)}{hint}"));
        }
    }

    private static (uint Uid, uint Gid) ParseOwner(string text)
    {
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0 &&
            uint.TryParse(text.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out uint uid) &&
            uint.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out uint gid) &&
            uid != uint.MaxValue && gid != uint.MaxValue)
        {
            return (uid, gid);
        }

        // uint.MaxValue is (uid_t)-1, which chown reads as "leave unchanged": never what the caller meant.
        throw new UsageException($"--owner '{text}' is not a numeric UID:GID such as 1654:1654");
    }
}
