namespace NetDrop.Tests.Shared;

/// <summary>
/// Finds a tool a test needs as an oracle (cc, ethtool). The test command installs them; when one is missing the
/// test fails saying which and how to get it, instead of skipping and proving nothing.
/// </summary>
internal static class RequiredTool
{
    public static string Find(string name, string debianPackage)
    {
        foreach (string directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Concat(["/usr/sbin", "/sbin"]))
        {
            string candidate = Path.Combine(directory, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        Assert.Fail($"this test needs '{name}' (apt-get install {debianPackage}; ./test.sh installs it)");
        return "";
    }

    public static string UapiHeader(string header)
    {
        string path = Path.Combine("/usr/include/linux", header);
        Assert.True(File.Exists(path), $"this test needs the kernel UAPI headers ({path}): apt-get install linux-libc-dev");
        return path;
    }
}
