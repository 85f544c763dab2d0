using NetDrop.Kernel;
using NetDrop.Model;

namespace NetDrop.Sinks.Telemetry;

/// <summary>
/// The CRIT records' advice: the category's row of the advice table (<see cref="DropCategory.Advice"/>, the same row
/// <c>analyze</c> renders), with the live value of every setting it names, read from the proc root's <c>sys/</c> and
/// the sys root at the moment of the CRIT, so the advice says "now 1000", not a guess.
/// </summary>
internal sealed class TuningAdvice : ILiveSettings
{
    private readonly string _procRoot;
    private readonly string _sysRoot;

    public TuningAdvice(string procRoot, string sysRoot)
    {
        _procRoot = procRoot;
        _sysRoot = sysRoot;
    }

    public string For(DropCategory category, string interfaceName) => category.Advice.RenderLive(interfaceName, this);

    public string Sysctl(string name) => ReadTrimmed(KernelPaths.Sysctl(_procRoot, name));

    // The report's interface label joins several monitored interfaces with '+': no single file to read then.
    public string InterfaceAttribute(string interfaceName, string attribute) =>
        interfaceName.Contains('+', StringComparison.Ordinal) ? "per interface" : ReadTrimmed(Path.Join(KernelPaths.Interface(_sysRoot, interfaceName), attribute));

    private static string ReadTrimmed(string path)
    {
        try
        {
            return string.Join(' ', File.ReadAllText(path).Split([' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return "unreadable";
        }
    }
}
