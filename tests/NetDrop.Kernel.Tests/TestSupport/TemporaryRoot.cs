namespace NetDrop.Kernel.Tests.TestSupport;

/// <summary>A throw-away proc/sys root built from literal files, for synthetic and adversarial cases.</summary>
internal sealed class TemporaryRoot : IDisposable
{
    public TemporaryRoot((string Path, string Content)[] files)
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("netdrop-fixture-").FullName;
        foreach ((string path, string content) in files)
        {
            Write(path, content);
        }
    }

    public string Directory { get; }

    public string PathOf(string relative) => System.IO.Path.Join(Directory, relative);

    public void Write(string relative, string content)
    {
        string full = PathOf(relative);
        System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
