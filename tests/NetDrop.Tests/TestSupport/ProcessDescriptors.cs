using System.Globalization;

namespace NetDrop.Tests.TestSupport;

/// <summary>
/// What a process holds open, as <c>readlink /proc/PID/fd/N</c> shows it. A descriptor the agent opened on a pod's
/// counter file reads <c>/proc/&lt;pod pid&gt;/net/netstat</c> (procfs keeps the path it was opened by, with
/// <c> (deleted)</c> appended once the task is gone), so the test can see the agent hold, and let go of, a namespace.
/// </summary>
internal static class ProcessDescriptors
{
    /// <summary>The targets of every descriptor of <paramref name="pid"/> right now (a descriptor closed meanwhile is skipped).</summary>
    public static List<string> Targets(int pid)
    {
        var targets = new List<string>();
        foreach (string descriptor in Directory.EnumerateFileSystemEntries(string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}/fd")))
        {
            try
            {
                if (new FileInfo(descriptor).LinkTarget is { } target)
                {
                    targets.Add(target);
                }
            }
            catch (IOException)
            {
                // closed between the listing and the readlink
            }
        }

        return targets;
    }

    /// <summary>The descriptors of <paramref name="holder"/> on files under <c>/proc/<paramref name="task"/>/net/</c>.</summary>
    public static List<string> OnNetFilesOf(int holder, int task)
    {
        string prefix = string.Create(CultureInfo.InvariantCulture, $"/proc/{task}/net/");
        return [.. Targets(holder).Where(target => target.StartsWith(prefix, StringComparison.Ordinal))];
    }

    /// <summary>The state letter of <c>/proc/PID/stat</c> (<c>R</c>, <c>S</c>, <c>T</c> for stopped, ...).</summary>
    public static char State(int pid)
    {
        string stat = File.ReadAllText(string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}/stat"));
        return stat[stat.LastIndexOf(')') + 2]; // "pid (comm) S ...": comm may hold spaces and parentheses
    }
}
