using System.ComponentModel;
using System.Diagnostics;

namespace NetDrop.Kernel.Tests.TestSupport;

/// <summary>
/// Runs a host tool (ip, tc, sh) for test setup or as an oracle, never in product code. Fails loudly: a missing tool,
/// a non-zero exit or a hang is an exception naming the command and its stderr.
/// </summary>
internal static class HostTool
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    public static string Run(string fileName, params string[] arguments)
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

        string commandLine = fileName + " " + string.Join(' ', arguments);
        Process process;
        try
        {
            process = Process.Start(startInfo)
                ?? throw new InvalidOperationException($"could not start '{commandLine}'");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException(
                $"'{fileName}' is required by this test and could not be run (install iproute2?): {e.Message}", e);
        }

        using (process)
        {
            Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(s_timeout))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"'{commandLine}' did not finish within {s_timeout}");
            }

            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException(
                    $"'{commandLine}' exited with {process.ExitCode}: {stderr.Result.Trim()}");
            }

            return stdout.Result;
        }
    }
}
