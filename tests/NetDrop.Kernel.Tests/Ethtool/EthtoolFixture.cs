namespace NetDrop.Kernel.Tests.Ethtool;

/// <summary>Locates the ethtool fixtures in the source tree (read by the parse tests, written by the capture test).</summary>
internal static class EthtoolFixture
{
    public const string Kernel = "debian12-6.18-x86_64-virtio";
    public const string Interface = "eth0";

    public static string FixturesRoot { get; } = FindFixturesRoot();

    public static string EthtoolDirectory => Path.Join(FixturesRoot, "kernels", Kernel, "ethtool");

    public static string PathOf(string kind) => Path.Join(EthtoolDirectory, $"{Interface}.{kind}.bin");

    public static byte[] Read(string kind) => File.ReadAllBytes(PathOf(kind));

    public static string Synthetic(string name) => Path.Join(FixturesRoot, "synthetic", name);

    // The test binaries run from tests/NetDrop.Kernel.Tests/bin/<config>/<tfm>/; the fixtures stay in the source tree so
    // that a capture run writes where git sees it.
    private static string FindFixturesRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Join(directory.FullName, "NetDrop.Kernel.Tests.csproj")))
            {
                return Path.Join(directory.FullName, "Fixtures");
            }
        }

        throw new DirectoryNotFoundException("NetDrop.Kernel.Tests.csproj not found above " + AppContext.BaseDirectory);
    }
}
