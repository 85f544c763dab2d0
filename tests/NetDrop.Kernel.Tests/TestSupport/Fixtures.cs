using System.Runtime.CompilerServices;

namespace NetDrop.Kernel.Tests.TestSupport;

/// <summary>Where captured kernel fixtures live: copied next to the test assembly, and in the source tree for capture.</summary>
internal static class Fixtures
{
    public const string Debian12Virtio = "debian12-6.18-x86_64-virtio";
    public const string NetnsVethQdiscs = "netns-veth-qdiscs";

    /// <summary>A fixture file as copied to the test output directory.</summary>
    public static string Path(string fixture, string relativePath) =>
        System.IO.Path.Combine(AppContext.BaseDirectory, "Fixtures", "kernels", fixture, relativePath);

    public static byte[] ReadBytes(string fixture, string relativePath) => File.ReadAllBytes(Path(fixture, relativePath));

    public static string ReadText(string fixture, string relativePath) => File.ReadAllText(Path(fixture, relativePath));

    /// <summary>The fixture folder in the source tree, for capture only.</summary>
    public static string SourceDirectory(string fixture, [CallerFilePath] string thisFile = "") =>
        System.IO.Path.Combine(
            System.IO.Path.GetDirectoryName(System.IO.Path.GetDirectoryName(thisFile))!, "Fixtures", "kernels", fixture);
}
