namespace NetDrop.Tests.Faults;

/// <summary>
/// A filesystem of the test's own, mounted on a temporary directory and unmounted (and removed) on dispose: a tiny
/// tmpfs to fill, or an ext4 loop image mounted <c>errors=remount-ro</c> to turn read-only under a writer. Needs root.
/// </summary>
internal sealed class ScratchMount : IDisposable
{
    private readonly string _root;

    private ScratchMount(string root, string directory)
    {
        _root = root;
        Directory = directory;
    }

    /// <summary>Where the filesystem is mounted.</summary>
    public string Directory { get; }

    /// <summary>The loop device of an ext4 mount (e.g. <c>loop3</c>), for <c>/sys/fs/ext4/DEV/</c>.</summary>
    public string Device => Path.GetFileName(Run("findmnt", "-no", "SOURCE", Directory).Trim());

    /// <summary>A tmpfs of <paramref name="size"/> (mount's <c>size=</c> syntax: <c>64k</c>).</summary>
    public static ScratchMount Tmpfs(string size)
    {
        string root = System.IO.Directory.CreateTempSubdirectory("netdrop-fault-").FullName;
        string directory = Path.Join(root, "mnt");
        System.IO.Directory.CreateDirectory(directory);
        Run("mount", "-t", "tmpfs", "-o", $"size={size},mode=0755", "netdrop-fault", directory);
        return new ScratchMount(root, directory);
    }

    /// <summary>An ext4 image of <paramref name="megabytes"/> on a loop device, mounted <c>errors=remount-ro</c>.</summary>
    public static ScratchMount Ext4RemountReadOnlyOnError(int megabytes)
    {
        string root = System.IO.Directory.CreateTempSubdirectory("netdrop-fault-").FullName;
        string image = Path.Join(root, "ext4.img");
        using (var file = File.Create(image))
        {
            file.SetLength(megabytes * 1024L * 1024L);
        }

        Run("mkfs.ext4", "-q", "-F", image);
        string directory = Path.Join(root, "mnt");
        System.IO.Directory.CreateDirectory(directory);
        Run("mount", "-o", "loop,errors=remount-ro", image, directory);
        return new ScratchMount(root, directory);
    }

    /// <summary>
    /// Makes ext4 record an error (<c>/sys/fs/ext4/DEV/trigger_fs_error</c>, fs/ext4/sysfs.c), which with
    /// <c>errors=remount-ro</c> turns the filesystem read-only under its open files, as a failing disk would.
    /// </summary>
    public void TriggerExt4Error() => File.WriteAllText($"/sys/fs/ext4/{Device}/trigger_fs_error", "netdrop fault test");

    public void Dispose()
    {
        ProcessRunner.Result result = ProcessRunner.Run("umount", [Directory]);
        if (result.ExitCode != 0)
        {
            ProcessRunner.Run("umount", ["-l", Directory]); // something still holds it: detach it anyway
        }

        System.IO.Directory.Delete(_root, recursive: true);
    }

    private static string Run(string tool, params string[] arguments)
    {
        ProcessRunner.Result result = ProcessRunner.Run(tool, arguments, TimeSpan.FromSeconds(60));
        return result.ExitCode == 0
            ? result.Output
            : throw new InvalidOperationException($"{tool} {string.Join(' ', arguments)} failed ({result.ExitCode}): {result.Error}");
    }
}
