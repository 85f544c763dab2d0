using System.ComponentModel;
using System.Diagnostics;

namespace NetDrop.Tests.TestSupport;

/// <summary>
/// Runs a system tool (<c>ip</c>, <c>tc</c>, <c>cat</c>) to completion and returns its standard output. Forking is fine
/// in tests and keeps the ground truth independent of NetDrop's own readers; it is never done in product code.
/// </summary>
internal static class ToolRunner
{
    private static readonly TimeSpan s_defaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Runs the tool and throws, with its stderr, when it cannot start, times out or exits non-zero.</summary>
    public static string Run(string fileName, params string[] arguments)
    {
        ToolResult result = TryRun(fileName, arguments);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"`{Describe(fileName, arguments)}` exited with {result.ExitCode}: {result.StandardError.Trim()}");
        }

        return result.StandardOutput;
    }

    /// <summary>Runs the tool and returns its exit code and output; throws only when it cannot start or times out.</summary>
    public static ToolResult TryRun(string fileName, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(startInfo)
                ?? throw new InvalidOperationException($"`{Describe(fileName, arguments)}` did not start.");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException(
                $"Cannot start `{fileName}` ({e.Message}). The network-namespace ground-truth tests need iproute2 " +
                "(`ip`, `tc`) on PATH and must run as root; they never skip.",
                e);
        }

        using (process)
        {
            // Read both pipes concurrently so a chatty tool cannot block on a full stderr pipe.
            Task<string> standardOutput = process.StandardOutput.ReadToEndAsync();
            Task<string> standardError = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(s_defaultTimeout))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"`{Describe(fileName, arguments)}` did not finish within {s_defaultTimeout}.");
            }

            return new ToolResult(process.ExitCode, standardOutput.GetAwaiter().GetResult(), standardError.GetAwaiter().GetResult());
        }
    }

    public static string Describe(string fileName, IEnumerable<string> arguments) =>
        string.Join(' ', arguments.Prepend(fileName));
}
