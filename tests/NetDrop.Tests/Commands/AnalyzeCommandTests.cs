using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using NetDrop.Analysis;
using NetDrop.Analysis.Tests;
using NetDrop.Cli;
using static NetDrop.Analysis.Tests.CsvLines;

namespace NetDrop.Tests.Commands;

/// <summary>
/// The command around the analysis: options, exit codes, output files, colour, and the real executable (a file that is
/// not a CSV, standard input). The analysis itself is tested in NetDrop.Analysis.Tests.
/// </summary>
public sealed class AnalyzeCommandTests : IDisposable
{
    private readonly StringWriter _stdout = new();
    private readonly StringWriter _stderr = new();

    [Fact]
    public void Run_NotACsv_ExitTwoWithOneSentenceNamingFileAndLine()
    {
        string path = AnalyzeTestFiles.WriteTemp("Nov 24 19:45:01 host kernel: eth0: link up\n", "syslog");
        int exit = Run(new AnalyzeRequest([path], null, null, 10, 20, null, null, [], false));

        Assert.Equal(2, exit);
        Assert.Equal($"netdrop analyze: {path}: not a NetDrop/seed CSV: line 1 is neither the NetDrop/seed header nor a data row of at least 16 fields.\n", _stderr.ToString());
        Assert.Equal("", _stdout.ToString());
    }

    [Fact]
    public void Run_MissingFile_ExitTwo()
    {
        int exit = Run(new AnalyzeRequest(["/nonexistent/network_drops.log"], null, null, 10, 20, null, null, [], false));
        Assert.Equal(2, exit);
        Assert.Equal("netdrop analyze: /nonexistent/network_drops.log: no such file.\n", _stderr.ToString());
    }

    [Theory]
    [InlineData(-1, 20, null, null, "--top must be between 0 and 1000, not -1.")]
    [InlineData(10, 100_001, null, null, "--last must be between 0 and 100000, not 100001.")]
    [InlineData(10, 20, "yesterday", null, "--since 'yesterday' is neither a time")]
    [InlineData(10, 20, "2026-02-04", "2026-02-03 10:00", "--since (2026-02-04 00:00:00) is after --until (2026-02-03 10:00:00).")]
    public void Run_BadOption_ExitTwoWithTheReason(int top, int last, string? since, string? until, string message)
    {
        int exit = Run(new AnalyzeRequest([AnalyzeTestFiles.Fixture("seed.csv")], null, null, top, last, since, until, [], false));
        Assert.Equal(2, exit);
        Assert.StartsWith("netdrop analyze: " + message, _stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_EmptyLog_ExitZeroAndSaysSo()
    {
        int exit = Run(new AnalyzeRequest([AnalyzeTestFiles.WriteTemp("")], null, null, 10, 20, null, null, [], false));
        Assert.Equal(0, exit);
        Assert.Contains("The input holds no intervals.", _stdout.ToString(), StringComparison.Ordinal);
        Assert.Contains("The log is empty", _stdout.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_MalformedLines_StillExitZeroAndListedWithLineNumbers()
    {
        string content = $"{NetDropHeader}\n{NetDropRow("2026-02-03 11:23:50", "eth0", ("softirq", 5))}\n2026-02-03 11:23:55,oops\n{NetDropRow("2026-02-03 11:24:00")[..30]}";
        string path = AnalyzeTestFiles.WriteTemp(content);
        int exit = Run(new AnalyzeRequest([path], "json", null, 10, 20, null, null, [], false));

        Assert.Equal(0, exit);
        using JsonDocument json = JsonDocument.Parse(_stdout.ToString());
        Assert.Equal(2, json.RootElement.GetProperty("malformed_lines").GetInt64());
        Assert.Equal([3L, 4L], json.RootElement.GetProperty("malformed_examples").EnumerateArray().Select(e => e.GetProperty("line").GetInt64()));
        Assert.Equal(1, json.RootElement.GetProperty("intervals").GetInt64());
    }

    [Fact]
    public void Run_OutputWithHtmlExtension_WritesAnHtmlFile()
    {
        string output = Path.Combine(AnalyzeTestFiles.NewTempDirectory(), "incident.html");
        int exit = Run(new AnalyzeRequest([AnalyzeTestFiles.Fixture("seed.csv")], null, output, 10, 20, null, null, [], false));

        Assert.Equal(0, exit);
        Assert.StartsWith("<!DOCTYPE html>", File.ReadAllText(output), StringComparison.Ordinal);
        Assert.Equal($"netdrop analyze: wrote the HTML report to {output}.\n", _stderr.ToString());
        Assert.Equal("", _stdout.ToString());
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(output)!));   // no temporary left behind
    }

    [Fact]
    public void Run_OutputDash_WritesToStandardOutput()
    {
        int exit = Run(new AnalyzeRequest([AnalyzeTestFiles.Fixture("seed.csv")], "json", "-", 10, 20, null, null, [], false));
        Assert.Equal(0, exit);
        using JsonDocument json = JsonDocument.Parse(_stdout.ToString());
        Assert.Equal(240, json.RootElement.GetProperty("intervals").GetInt64());
        Assert.False(File.Exists("-"));
    }

    [Fact]
    public void Run_OutputIntoMissingDirectory_ExitOne()
    {
        int exit = Run(new AnalyzeRequest([AnalyzeTestFiles.Fixture("seed.csv")], "json", "/nonexistent-dir/report.json", 10, 20, null, null, [], false));
        Assert.Equal(1, exit);
        Assert.StartsWith("netdrop analyze: cannot write /nonexistent-dir/report.json: ", _stderr.ToString(), StringComparison.Ordinal);
        Assert.Single(_stderr.ToString().Trim('\n').Split('\n'));
    }

    [Fact]
    public void Run_TerminalWithoutNoColor_ColouredAndNoColorFlagPlain()
    {
        var request = new AnalyzeRequest([AnalyzeTestFiles.Fixture("seed.csv")], null, null, 10, 20, null, null, [], false);
        Assert.Equal(0, AnalyzeCommand.Run(request, _stdout, _stderr, stdoutIsTerminal: true, TimeProvider.System));
        bool noColorSet = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));
        Assert.Equal(!noColorSet, _stdout.ToString().Contains('\u001b', StringComparison.Ordinal));

        var plain = new StringWriter();
        Assert.Equal(0, AnalyzeCommand.Run(request with { NoColor = true }, plain, _stderr, stdoutIsTerminal: true, TimeProvider.System));
        Assert.DoesNotContain('\u001b', plain.ToString());

        var piped = new StringWriter();
        Assert.Equal(0, AnalyzeCommand.Run(request, piped, _stderr, stdoutIsTerminal: false, TimeProvider.System));
        Assert.DoesNotContain('\u001b', piped.ToString());
    }

    [Theory]
    [InlineData("90s", "2026-02-03 11:58:30")]
    [InlineData("30m", "2026-02-03 11:30:00")]
    [InlineData("6h", "2026-02-03 06:00:00")]
    [InlineData("2d", "2026-02-01 12:00:00")]
    [InlineData("2026-02-03 10:15", "2026-02-03 10:15:00")]
    public void TryParseTime_AgesAndTimes_RelativeToNow(string text, string expected)
    {
        var now = LocalTimestamp.FromDateTime(new DateTime(2026, 2, 3, 12, 0, 0));
        Assert.True(AnalyzeCommand.TryParseTime(text, now, out LocalTimestamp value));
        Assert.Equal(expected, value.ToString());
    }

    [Fact]
    public void Create_ParsedCommandLine_RunsWithFormatTopAndFilters()
    {
        var root = new RootCommand { AnalyzeCommand.Create() };
        string fixture = AnalyzeTestFiles.Fixture("netdrop-afternoon.csv");
        ParseResult parsed = root.Parse(["analyze", fixture, "--format", "json", "--top", "3", "--last", "2", "--since", "2026-02-03 14:00", "--until", "2026-02-03 14:30:00", "-i", "eth0"]);
        Assert.Empty(parsed.Errors);

        int exit = parsed.Invoke(new InvocationConfiguration { Output = _stdout, Error = _stderr });

        Assert.Equal(0, exit);
        using JsonDocument json = JsonDocument.Parse(_stdout.ToString());
        JsonElement root2 = json.RootElement;
        Assert.Equal(3, root2.GetProperty("top").GetArrayLength());
        Assert.Equal(2, root2.GetProperty("last").GetArrayLength());
        Assert.Equal("2026-02-03 14:00:00", root2.GetProperty("first_timestamp").GetString());
        Assert.Equal("2026-02-03 14:30:00", root2.GetProperty("last_timestamp").GetString());
        Assert.Equal("eth0", root2.GetProperty("filter").GetProperty("interfaces")[0].GetString());
    }

    [Fact]
    public void Create_UnknownFormat_IsAParseError()
    {
        var root = new RootCommand { AnalyzeCommand.Create() };
        ParseResult parsed = root.Parse(["analyze", "x.csv", "--format", "pdf"]);
        Assert.NotEmpty(parsed.Errors);
    }

    [Fact]
    public void Netdrop_NotACsvInAProcess_ExitTwoAndNoStackTrace()
    {
        // The real executable, as an operator runs it: one sentence on stderr, exit code 2.
        string path = AnalyzeTestFiles.WriteTemp("hello\n", "notes.txt");
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "netdrop.dll"), "analyze", path])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using Process process = Process.Start(start)!;
        string stderr = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(60_000));

        Assert.Equal(2, process.ExitCode);
        Assert.Equal($"netdrop analyze: {path}: not a NetDrop/seed CSV: line 1 is neither the NetDrop/seed header nor a data row of at least 16 fields.", stderr.Trim());
    }

    [Fact]
    public void Netdrop_StandardInput_ReadAsDash()
    {
        // zcat network_drops.log.3.gz | netdrop analyze -
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "netdrop.dll"), "analyze", "-", "--format", "json"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using Process process = Process.Start(start)!;
        process.StandardInput.Write(File.ReadAllText(AnalyzeTestFiles.Fixture("seed.csv")));
        process.StandardInput.Close();
        string stdout = process.StandardOutput.ReadToEnd();
        string stderr = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(60_000));

        Assert.True(process.ExitCode == 0, stderr);
        Assert.Contains("\"intervals\": 240,", stdout, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _stdout.Dispose();
        _stderr.Dispose();
    }

    private int Run(AnalyzeRequest request) => AnalyzeCommand.Run(request, _stdout, _stderr, stdoutIsTerminal: false, TimeProvider.System);
}
