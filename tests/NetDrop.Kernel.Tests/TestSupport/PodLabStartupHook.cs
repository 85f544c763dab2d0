using System.Globalization;
using NetDrop.Kernel.Namespaces;

#pragma warning disable CA1050 // the runtime finds a startup hook only as the global type "StartupHook"

/// <summary>
/// Lets a test run <see cref="NetworkNamespaceScanner"/> in a child process with other credentials (setpriv to an
/// unprivileged uid with every capability dropped) without a separate program: <c>DOTNET_STARTUP_HOOKS=&lt;this
/// assembly&gt; dotnet exec &lt;this assembly&gt;</c> runs <see cref="Initialize"/> before the (empty) generated Main.
/// It does nothing unless <c>NETDROP_PODLAB_SCAN</c> names a proc root, so loading the assembly as a test never triggers it.
/// </summary>
/// <remarks>
/// Prints the child's own effective and bounding capability sets (from <c>/proc/self/status</c>) and uid, then one
/// line per namespace found: <c>ns &lt;inode&gt; &lt;pid&gt; &lt;pod uid or -&gt; &lt;container id or -&gt; &lt;node|other&gt;</c>.
/// </remarks>
internal static class StartupHook
{
    public const string ProcRootVariable = "NETDROP_PODLAB_SCAN";

    public static void Initialize()
    {
        string? procRoot = Environment.GetEnvironmentVariable(ProcRootVariable);
        if (string.IsNullOrEmpty(procRoot))
        {
            return;
        }

        foreach (string line in File.ReadAllLines("/proc/self/status"))
        {
            if (line.StartsWith("Uid:", StringComparison.Ordinal) || line.StartsWith("CapEff:", StringComparison.Ordinal) ||
                line.StartsWith("CapPrm:", StringComparison.Ordinal) || line.StartsWith("CapBnd:", StringComparison.Ordinal))
            {
                Console.Out.WriteLine(line);
            }
        }

        using var scanner = new NetworkNamespaceScanner(procRoot);
        scanner.Scan();
        foreach (ObservedNamespace found in scanner.Namespaces)
        {
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"ns {found.Id} {found.RepresentativePid} {found.Owner.PodUid ?? "-"} {found.Owner.ContainerId ?? "-"} {(found.IsNode ? "node" : "other")}"));
        }

        Console.Out.Flush();
        Environment.Exit(0);
    }
}
