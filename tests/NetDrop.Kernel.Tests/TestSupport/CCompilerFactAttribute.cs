namespace NetDrop.Kernel.Tests.TestSupport;

/// <summary>
/// A fact that compiles C against the kernel's UAPI headers. Where <c>cc</c> or <c>/usr/include/linux</c> is
/// missing it is reported as skipped with this reason, never silently passed; the hand-written layout facts still run.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class CCompilerFactAttribute : FactAttribute
{
    public const string Header = "/usr/include/linux/rtnetlink.h";

    public CCompilerFactAttribute()
    {
        if (FindCompiler() is null)
        {
            Skip = "no C compiler (cc) on PATH";
        }
        else if (!File.Exists(Header))
        {
            Skip = $"no kernel UAPI headers ({Header}); install linux-libc-dev";
        }
    }

    public static string? FindCompiler() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, "cc"))
            .FirstOrDefault(File.Exists);
}
