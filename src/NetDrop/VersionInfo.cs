using System.Reflection;

namespace NetDrop;

/// <summary>The agent's version, from the assembly (set by <c>Version</c> in Directory.Build.props).</summary>
internal static class VersionInfo
{
    public static readonly string Version =
        typeof(VersionInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? "0.0.0";
}
