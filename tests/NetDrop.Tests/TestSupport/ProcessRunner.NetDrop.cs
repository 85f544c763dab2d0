namespace NetDrop.Tests.Shared;

/// <summary>The netdrop executable built beside these tests, run through the shared <see cref="ProcessRunner"/>.</summary>
internal static partial class ProcessRunner
{
    /// <summary>Runs the netdrop executable built beside the tests (<c>dotnet netdrop.dll</c>).</summary>
    public static Result NetDrop(params string[] arguments) =>
        Run("dotnet", [NetDropDll, .. arguments]);

    public static string NetDropDll
    {
        get
        {
            string netdropDll = Path.Join(AppContext.BaseDirectory, "netdrop.dll");
            return File.Exists(netdropDll)
                ? netdropDll
                : throw new FileNotFoundException($"netdrop.dll is not beside the tests at {netdropDll}; is the ProjectReference intact?");
        }
    }
}
