namespace NetDrop.Kernel.Tests.Ethtool;

/// <summary>A fact that rewrites checked-in fixtures: it runs only with NETDROP_CAPTURE_FIXTURES=1 and says so when skipped.</summary>
public sealed class CaptureFactAttribute : FactAttribute
{
    public const string Variable = "NETDROP_CAPTURE_FIXTURES";

    public CaptureFactAttribute()
    {
        if (Environment.GetEnvironmentVariable(Variable) != "1")
        {
            Skip = $"Re-captures fixtures from this host; set {Variable}=1 to run.";
        }
    }
}
