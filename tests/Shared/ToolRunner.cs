using System.ComponentModel;

namespace NetDrop.Tests.Shared;

/// <summary>
/// Runs a system tool (<c>ip</c>, <c>tc</c>, <c>sh</c>, <c>cc</c>) for test setup or as an oracle, through
/// <see cref="ProcessRunner"/>, and returns its standard output. Forking is fine in tests and keeps the ground truth
/// independent of NetDrop's own readers; it is never done in product code. Fails loudly: a missing tool, a non-zero
/// exit or a hang is an exception naming the command and its stderr.
/// </summary>
internal static class ToolRunner
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    /// <summary>Runs the tool and throws, with its stderr, when it cannot start, times out or exits non-zero.</summary>
    public static string Run(string fileName, params string[] arguments)
    {
        ProcessRunner.Result result = TryRun(fileName, arguments);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"`{Describe(fileName, arguments)}` exited with {result.ExitCode}: {result.Error.Trim()}");
        }

        return result.Output;
    }

    /// <summary>Runs the tool and returns its exit code and output; throws only when it cannot start or times out.</summary>
    public static ProcessRunner.Result TryRun(string fileName, params string[] arguments)
    {
        try
        {
            return ProcessRunner.Run(fileName, arguments, s_timeout);
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException(
                $"Cannot start `{fileName}` ({e.Message}). The network-namespace tests need iproute2 (`ip`, `tc`) on " +
                "PATH and must run as root; ./test.sh installs what they need, and they never skip.",
                e);
        }
    }

    public static string Describe(string fileName, IEnumerable<string> arguments) =>
        string.Join(' ', arguments.Prepend(fileName));
}
