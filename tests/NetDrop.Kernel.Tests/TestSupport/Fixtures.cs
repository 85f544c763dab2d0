namespace NetDrop.Kernel.Tests.TestSupport;

/// <summary>Paths of the fixture roots copied next to the test assembly (and, for re-capture, in the source tree).</summary>
internal static class Fixtures
{
    public const string CapturedKernel = "debian12-6.18-x86_64-virtio";

    /// <summary>Netlink dumps of a test namespace with veths and one of each qdisc shape (see its netlink/FIXTURE.md).</summary>
    public const string NetnsVethQdiscs = "netns-veth-qdiscs";

    public static string Root => Path.Join(AppContext.BaseDirectory, "Fixtures");

    public static string Kernel(string name) => Path.Join(Root, "kernels", name);

    public static string KernelFile(string name, string relativePath) => Path.Join(Kernel(name), relativePath);

    public static byte[] ReadBytes(string name, string relativePath) => File.ReadAllBytes(KernelFile(name, relativePath));

    public static string ReadText(string name, string relativePath) => File.ReadAllText(KernelFile(name, relativePath));

    /// <summary>The fixture folder in the source tree, where a capture writes (never read by the parse tests).</summary>
    public static string SourceDirectory(string name) =>
        RepositoryRoot.Combine("tests", "NetDrop.Kernel.Tests", "Fixtures", "kernels", name);

    /// <summary>A temporary directory holding the given files (relative path → content), deleted on dispose.</summary>
    public static TemporaryRoot Temporary(params (string Path, string Content)[] files) => new(files);
}
