namespace NetDrop.Benchmarks;

/// <summary>
/// The captured kernel root the parser tests use (procfs and sysfs files copied verbatim, raw netlink and ethtool
/// replies), found in the source tree so the benchmarks parse exactly the bytes the tests check.
/// </summary>
internal static class KernelFixture
{
    public const string Kernel = "debian12-6.18-x86_64-virtio";

    public static string Root { get; } = FindRoot();

    public static string ProcRoot => Path.Join(Root, "proc");

    public static string SysRoot => Path.Join(Root, "sys");

    public static byte[] Read(string relativePath) => File.ReadAllBytes(Path.Join(Root, relativePath));

    // BenchmarkDotNet runs a generated project from under bench/NetDrop.Benchmarks/bin/, so walk up to the repository.
    private static string FindRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Join(directory.FullName, "NetDropOtel.sln")))
            {
                return Path.Join(directory.FullName, "tests", "NetDrop.Kernel.Tests", "Fixtures", "kernels", Kernel);
            }
        }

        throw new DirectoryNotFoundException("NetDropOtel.sln not found above " + AppContext.BaseDirectory);
    }
}
