namespace NetDrop.Tests.Shared;

/// <summary>
/// The repository checkout the tests were built from (the directory holding <c>NetDropOtel.sln</c>), found by walking
/// up from the test assembly (tests/PROJECT/bin/CONFIG/TFM/). Source-tree files (deployment files, fixtures a capture
/// rewrites, bench scripts) are read where they live rather than copied.
/// </summary>
internal static class RepositoryRoot
{
    private static readonly Lazy<string> s_path = new(Find);

    public static string Path => s_path.Value;

    public static string Combine(params string[] parts) => System.IO.Path.Join([Path, .. parts]);

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Join(directory.FullName, "NetDropOtel.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"no NetDropOtel.sln above {AppContext.BaseDirectory}");
    }
}
