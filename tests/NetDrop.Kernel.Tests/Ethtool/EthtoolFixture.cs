namespace NetDrop.Kernel.Tests.Ethtool;

/// <summary>Locates the ethtool fixtures in the source tree (read by the parse tests, written by the capture test).</summary>
internal static class EthtoolFixture
{
    public const string Kernel = "debian12-6.18-x86_64-virtio";
    public const string Interface = "eth0";

    // The fixtures are read in the source tree, not the copy beside the test assembly, so that a capture run writes
    // where git sees it.
    public static string FixturesRoot { get; } = RepositoryRoot.Combine("tests", "NetDrop.Kernel.Tests", "Fixtures");

    public static string EthtoolDirectory => Path.Join(FixturesRoot, "kernels", Kernel, "ethtool");

    public static string PathOf(string kind) => Path.Join(EthtoolDirectory, $"{Interface}.{kind}.bin");

    public static byte[] Read(string kind) => File.ReadAllBytes(PathOf(kind));

    public static string Synthetic(string name) => Path.Join(FixturesRoot, "synthetic", name);
}
