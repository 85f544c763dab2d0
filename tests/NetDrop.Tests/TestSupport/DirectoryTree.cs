namespace NetDrop.Tests.TestSupport;

/// <summary>Copies a directory tree (a fixture root, a chart) to a scratch place a test may change.</summary>
internal static class DirectoryTree
{
    public static void Copy(string source, string destination)
    {
        foreach (string file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            string target = Path.Join(destination, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
