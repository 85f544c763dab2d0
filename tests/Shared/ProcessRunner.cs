using System.Diagnostics;

namespace NetDrop.Tests.Shared;

/// <summary>
/// Runs a real process (the netdrop binary, awk, ip, a compiled oracle) with stdin closed and collects its output,
/// bounded in time: a hang is a <see cref="TimeoutException"/> naming the command, after the process tree is killed.
/// </summary>
internal static partial class ProcessRunner
{
    public sealed record Result(int ExitCode, string Output, string Error);

    public static Result Run(string fileName, IEnumerable<string> arguments, TimeSpan? timeout = null, IDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? "",
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach ((string key, string value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {fileName}");
        process.StandardInput.Close();
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout ?? TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', start.ArgumentList)} did not finish in time");
        }

        // The timed wait returns when the process exits; this one also waits for the redirected streams' EOF.
        process.WaitForExit();
        return new Result(process.ExitCode, output.Result, error.Result);
    }

    /// <summary>
    /// Ends a process a test started and kept running (the monitor, the dashboard): kills its whole tree if it is still
    /// there, waits for it (bounded), and disposes it.
    /// </summary>
    public static void Stop(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException)
        {
            // Never started, or exited between the check and the kill: nothing left to stop.
        }

        process.Dispose();
    }
}
