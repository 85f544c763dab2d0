namespace NetDrop.Kernel.Tests.TestSupport;

/// <summary>
/// A fact that re-captures fixtures into the source tree. It runs only with <c>NETDROP_CAPTURE_FIXTURES=1</c> and is
/// reported as skipped (with this reason) otherwise, because it overwrites the golden inputs other tests assert on.
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
