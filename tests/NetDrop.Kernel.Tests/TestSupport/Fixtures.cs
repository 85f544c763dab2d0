namespace NetDrop.Kernel.Tests.TestSupport;

/// <summary>Paths of the fixture roots copied next to the test assembly.</summary>
internal static class Fixtures
{
    public const string CapturedKernel = "debian12-6.18-x86_64-virtio";

    public static string Root => Path.Join(AppContext.BaseDirectory, "Fixtures");

    public static string Kernel(string name) => Path.Join(Root, "kernels", name);

    public static string KernelFile(string name, string relativePath) => Path.Join(Kernel(name), relativePath);

    /// <summary>A temporary directory holding the given files (relative path → content), deleted on dispose.</summary>
    public static TemporaryRoot Temporary(params (string Path, string Content)[] files) => new(files);
}
