using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace NetDrop.Tests.TestSupport;

/// <summary>
/// The real <c>netdrop monitor</c>, started inside a namespace with <c>ip netns exec</c> (which execs, so the process
/// is the monitor itself). netdrop.dll sits beside the test assembly through the ProjectReference; it runs on the same
/// dotnet host that runs the tests. Disposing kills it if it is still running, so a failed test cannot leave a
/// monitor holding the namespace alive.
/// </summary>
internal sealed class MonitorProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly string _commandLine;

    private MonitorProcess(Process process, string commandLine, string csvPath)
    {
        _process = process;
        _commandLine = commandLine;
        CsvPath = csvPath;
    }

    public string CsvPath { get; }

    /// <summary>Everything the monitor wrote to stdout and stderr so far, for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static MonitorProcess Start(NetworkNamespace networkNamespace, string interfaceName, double intervalSeconds, int count, string csvPath)
    {
        string netdropDll = Path.Combine(AppContext.BaseDirectory, "netdrop.dll");
        if (!File.Exists(netdropDll))
        {
            throw new FileNotFoundException($"netdrop.dll is not beside the tests at {netdropDll}; is the ProjectReference intact?");
        }

        // DOTNET_HOST_PATH is set by the dotnet CLI for the processes it starts (dotnet test included).
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        string[] arguments =
        [
            "netns", "exec", networkNamespace.Name, dotnet, netdropDll, "monitor",
            "--interface", interfaceName,
            "--interval", intervalSeconds.ToString(CultureInfo.InvariantCulture),
            "--count", count.ToString(CultureInfo.InvariantCulture),
            "--csv", csvPath,
            "--no-color",
        ];
        var startInfo = new ProcessStartInfo("ip")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = startInfo };
        var monitor = new MonitorProcess(process, ToolRunner.Describe("ip", arguments), csvPath);
        process.OutputDataReceived += (_, e) => monitor.Append(e.Data);
        process.ErrorDataReceived += (_, e) => monitor.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return monitor;
    }

    /// <summary>
    /// Waits until the CSV's header line is complete. The monitor writes it right after taking its baseline sample, so
    /// from then on every counter change lands in a reported interval.
    /// </summary>
    public void WaitForHeader(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (ReadCsvText().Contains('\n', StringComparison.Ordinal))
            {
                return;
            }

            if (_process.HasExited)
            {
                throw new InvalidOperationException(
                    $"The monitor exited with {_process.ExitCode} before writing the CSV header.\n{Describe()}");
            }

            Thread.Sleep(20);
        }

        throw new TimeoutException($"The monitor wrote no CSV header within {timeout}.\n{Describe()}");
    }

    /// <summary>Complete data rows written so far (the header and a partial last line excluded).</summary>
    public int CompletedRows()
    {
        string text = ReadCsvText();
        return Math.Max(0, text.Count(c => c == '\n') - 1);
    }

    /// <summary>Waits for the monitor to exit on its own (after <c>--count</c> intervals) and returns its exit code.</summary>
    public int WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            throw new TimeoutException($"The monitor did not exit within {timeout}.\n{Describe()}");
        }

        _process.WaitForExit(); // drains the asynchronous output readers
        return _process.ExitCode;
    }

    public string Describe() => $"Command: {_commandLine}\nOutput:\n{Output}";

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException)
        {
            // Never started or already reaped: nothing left to stop.
        }

        _process.Dispose();
    }

    /// <summary>The CSV as written so far, read with plain open/read so a lock the monitor holds cannot get in the way.</summary>
    public string ReadCsvText() => File.Exists(CsvPath) ? UnlockedFile.ReadAllText(CsvPath) : "";

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
