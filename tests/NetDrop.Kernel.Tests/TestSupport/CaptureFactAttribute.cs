namespace NetDrop.Kernel.Tests.TestSupport;

/// <summary>
/// Marks a "test" that re-captures fixtures into the source tree from this host. It is a tool, not a check: the
/// test command filters it out (<c>Category!=Capture</c>), and run by hand it does nothing unless
/// <c>NETDROP_CAPTURE_FIXTURES=1</c>, because it overwrites the golden inputs other tests assert on:
/// <code>NETDROP_CAPTURE_FIXTURES=1 dotnet test tests/NetDrop.Kernel.Tests --filter Category=Capture</code>
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class CaptureFactAttribute : FactAttribute
{
    public const string Variable = "NETDROP_CAPTURE_FIXTURES";

    public CaptureFactAttribute()
    {
        if (Environment.GetEnvironmentVariable(Variable) != "1")
        {
            Skip = $"fixture capture: set {Variable}=1 to overwrite the captured fixtures";
        }
    }
}
