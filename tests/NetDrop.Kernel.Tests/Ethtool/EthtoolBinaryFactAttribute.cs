namespace NetDrop.Kernel.Tests.Ethtool;

/// <summary>
/// A cross-check against the <c>ethtool</c> binary, which the product never runs and the machine need not have: the
/// test runs when the binary exists and is reported as skipped (with the reason) when it does not.
/// </summary>
public sealed class EthtoolBinaryFactAttribute : FactAttribute
{
    public EthtoolBinaryFactAttribute()
    {
        if (Path is null)
        {
            Skip = "The ethtool binary is not installed (apt-get install ethtool); the fixture comparison still runs.";
        }
    }

    public static string? Path { get; } = new[] { "/usr/sbin/ethtool", "/sbin/ethtool" }.FirstOrDefault(File.Exists);
}
