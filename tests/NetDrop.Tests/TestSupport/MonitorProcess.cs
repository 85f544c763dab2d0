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

    public static MonitorProcess Start(NetworkNamespace networkNamespace, string interfaceName, double intervalSeconds, int count, string csvPath) =>
        Launch("ip", ["netns", "exec", networkNamespace.Name, Dotnet, ProcessRunner.NetDropDll, "monitor",
            "--interface", interfaceName,
            "--interval", intervalSeconds.ToString(CultureInfo.InvariantCulture),
            "--count", count.ToString(CultureInfo.InvariantCulture),
            "--csv", csvPath,
            "--no-color"], csvPath, environment: null);

    /// <summary>Starts <c>netdrop</c> with these arguments inside <paramref name="networkNamespace"/> (which also gets its own /sys).</summary>
    public static MonitorProcess StartIn(NetworkNamespace networkNamespace, string csvPath, params string[] arguments) =>
        Launch("ip", ["netns", "exec", networkNamespace.Name, Dotnet, ProcessRunner.NetDropDll, .. arguments], csvPath, environment: null);

    /// <summary>Starts <c>netdrop</c> with these arguments and extra environment variables inside <paramref name="networkNamespace"/>.</summary>
    public static MonitorProcess StartInWithEnvironment(
        NetworkNamespace networkNamespace, string csvPath, IDictionary<string, string> environment, params string[] arguments) =>
        Launch("ip", ["netns", "exec", networkNamespace.Name, Dotnet, ProcessRunner.NetDropDll, .. arguments], csvPath, environment);

    /// <summary>
    /// Starts <c>netdrop</c> inside <paramref name="networkNamespace"/> under <paramref name="setprivArguments"/>
    /// (<c>setpriv --reuid=... --</c>: another user, capabilities dropped), with extra environment variables.
    /// </summary>
    public static MonitorProcess StartInAs(
        NetworkNamespace networkNamespace, string[] setprivArguments, string csvPath, IDictionary<string, string> environment, params string[] arguments) =>
        Launch("ip", ["netns", "exec", networkNamespace.Name, "setpriv", .. setprivArguments, Dotnet, ProcessRunner.NetDropDll, .. arguments], csvPath, environment);

    /// <summary>Starts <c>netdrop</c> with these arguments in the test's own namespace (e.g. on loopback).</summary>
    /// <remarks>
    /// The stop signals are reset to their default first (<c>env --default-signal</c>, which then execs dotnet, so the pid
    /// is the monitor's): a test run started in the background of a non-interactive shell inherits SIGINT and SIGQUIT
    /// as ignored, the runtime keeps an inherited SIG_IGN, and the monitor would then rightly not stop on SIGINT.
    /// </remarks>
    public static MonitorProcess StartHere(string csvPath, IDictionary<string, string>? environment, params string[] arguments) =>
        Launch("env", ["--default-signal=INT,QUIT,TERM,HUP", Dotnet, ProcessRunner.NetDropDll, .. arguments], csvPath, environment);

    /// <summary>
    /// Starts <c>netdrop</c> here with its stdout opened on <paramref name="stdoutPath"/> (a FIFO the test never reads,
    /// to block it) instead of a pipe the test drains; stderr is still collected.
    /// </summary>
    public static MonitorProcess StartHereWithStdout(string stdoutPath, string csvPath, params string[] arguments) =>
        Launch("sh", ["-c", "out=$1; shift; exec \"$@\" >\"$out\"", "sh", stdoutPath, Dotnet, ProcessRunner.NetDropDll, .. arguments], csvPath, environment: null);

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Resident memory now, from <c>/proc/PID/status</c> (VmRSS), in KiB.</summary>
    public long ResidentKib()
    {
        foreach (string line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException("no VmRSS in /proc status");
    }

    /// <summary>Waits until the output holds <paramref name="text"/>.</summary>
    public void WaitForOutput(string text, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (clock.Elapsed > timeout || _process.HasExited && !Output.Contains(text, StringComparison.Ordinal))
            {
                throw new TimeoutException($"The monitor never printed '{text}'.\n{Describe()}");
            }

            Thread.Sleep(20);
        }
    }

    /// <summary>Waits until the CSV has at least <paramref name="rows"/> complete data rows.</summary>
    public void WaitForRows(int rows, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (CompletedRows() < rows)
        {
            if (clock.Elapsed > timeout || _process.HasExited)
            {
                throw new TimeoutException($"The monitor wrote {CompletedRows()} of {rows} rows.\n{Describe()}");
            }

            Thread.Sleep(20);
        }
    }

    // DOTNET_HOST_PATH is set by the dotnet CLI for the processes it starts (dotnet test included).
    private static string Dotnet => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    private static MonitorProcess Launch(string fileName, string[] arguments, string csvPath, IDictionary<string, string>? environment)
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

        // Every test's agent reads its own namespace only unless it asks for all: with "namespaces: all" every other
        // namespace of this machine (the host's, other test runs' pods) would add its drops to the counts a test witnessed.
        startInfo.Environment["NETDROP_NAMESPACES"] = "host";
        foreach ((string key, string value) in environment ?? new Dictionary<string, string>())
        {
            startInfo.Environment[key] = value;
        }

        var process = new Process { StartInfo = startInfo };
        var monitor = new MonitorProcess(process, ToolRunner.Describe(fileName, arguments), csvPath);
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

    public void Dispose() => ProcessRunner.Stop(_process);

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
