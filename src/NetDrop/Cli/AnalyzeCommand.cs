using System.CommandLine;
using System.Globalization;
using NetDrop.Analysis;
using NetDrop.Model;

namespace NetDrop.Cli;

/// <summary>
/// <c>netdrop analyze FILE... [--format text|json|markdown|html] [--output PATH] [--top N] [--last N]
/// [--since T] [--until T] [--interface IF]...</c>: the incident responder's report over one or more CSV logs
/// (rotated and gzip-compressed ones included). Exit codes: 0 ok, 2 usage or bad input, 1 runtime failure.
/// </summary>
internal static class AnalyzeCommand
{
    private const int MaxTop = 1000;
    private const int MaxLast = 100_000;

    public static Command Create()
    {
        var files = new Argument<string[]>("FILE")
        {
            Description = "CSV logs written by netdrop or the seed script; rotated and .gz files too, in any order ('-' reads standard input).",
            Arity = ArgumentArity.OneOrMore,
        };
        var format = new Option<string?>("--format", "-f")
        {
            Description = "Report format: text (default), json, markdown or html. Without it, --output's extension decides.",
        };
        format.AcceptOnlyFromAmong("text", "json", "markdown", "md", "html");
        var output = new Option<string?>("--output", "-o")
        {
            Description = "Write the report to this file instead of standard output ('-' is standard output).",
        };
        var top = new Option<int>("--top")
        {
            Description = "How many worst intervals and worst episodes to list.",
            DefaultValueFactory = _ => AnalysisOptions.DefaultTop,
        };
        var last = new Option<int>("--last")
        {
            Description = "How many of the latest intervals to list.",
            DefaultValueFactory = _ => AnalysisOptions.DefaultLast,
        };
        var since = new Option<string?>("--since")
        {
            Description = "Only intervals at or after this time: 'yyyy-MM-dd[ HH:mm[:ss]]' (the log's local time) or an age such as 30m, 6h, 2d.",
        };
        var until = new Option<string?>("--until")
        {
            Description = "Only intervals at or before this time (same forms as --since).",
        };
        var interfaces = new Option<string[]>("--interface", "-i")
        {
            Description = "Only rows of this interface (repeatable); rows that summed it with others (eth0+eth1) are kept too.",
        };
        var noColor = new Option<bool>("--no-color")
        {
            Description = "No colours in the terminal report (NO_COLOR=1 does the same).",
        };

        var command = new Command("analyze", "Report what dropped, where and when, from NetDrop or seed CSV logs.")
        {
            files, format, output, top, last, since, until, interfaces, noColor,
        };

        command.SetAction((ParseResult result, CancellationToken cancellationToken) =>
        {
            var request = new AnalyzeRequest(
                result.GetValue(files) ?? [],
                result.GetValue(format),
                result.GetValue(output),
                result.GetValue(top),
                result.GetValue(last),
                result.GetValue(since),
                result.GetValue(until),
                result.GetValue(interfaces) ?? [],
                result.GetValue(noColor));
            TextWriter stdout = result.InvocationConfiguration.Output;
            TextWriter stderr = result.InvocationConfiguration.Error;
            bool terminal = ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected;
            return Task.FromResult(Run(request, stdout, stderr, terminal, TimeProvider.System, cancellationToken));
        });

        return command;
    }

    /// <summary>Everything the command does after parsing; the tests call it directly.</summary>
    internal static int Run(AnalyzeRequest request, TextWriter stdout, TextWriter stderr, bool stdoutIsTerminal, TimeProvider time, CancellationToken cancellationToken = default)
    {
        if (!TryBuildOptions(request, time, out AnalysisOptions? options, out ReportFormat format, out string? error))
        {
            stderr.WriteLine($"netdrop analyze: {error}");
            return 2;
        }

        DropReport report;
        try
        {
            // The one place analysis learns the category table: the product's own, as the monitor writes it.
            report = DropAnalyzer.Analyze(DropCategories.Table, options, cancellationToken);
        }
        catch (AnalyzeInputException ex)
        {
            stderr.WriteLine($"netdrop analyze: {ex.Message}");
            return 2;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"netdrop analyze: cannot read the input: {OneLine(ex.Message)}");
            return 1;
        }

        try
        {
            if (request.Output is { } path && path != "-")
            {
                WriteToFile(report, format, path);
                stderr.WriteLine($"netdrop analyze: wrote the {FormatName(format)} report to {path}.");
            }
            else
            {
                bool color = stdoutIsTerminal && !request.NoColor && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));
                int width = stdoutIsTerminal ? TerminalWidth() : TextReportRenderer.DefaultWidth;
                ReportRenderer.Render(report, format, stdout, color, width);
                stdout.Flush();
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"netdrop analyze: cannot write {request.Output ?? "the report"}: {OneLine(ex.Message)}");
            return 1;
        }

        return 0;
    }

    private static void WriteToFile(DropReport report, ReportFormat format, string path)
    {
        // Write beside the target and rename, so a report being opened in a browser is never half written.
        string full = Path.GetFullPath(path);
        string temporary = full + ".tmp-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        try
        {
            using (var writer = new StreamWriter(temporary, append: false, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false)))
            {
                ReportRenderer.Render(report, format, writer);
            }

            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    private static bool TryBuildOptions(AnalyzeRequest request, TimeProvider time, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out AnalysisOptions? options, out ReportFormat format, out string? error)
    {
        options = null;
        format = ReportFormat.Text;
        if (request.Files.Count == 0)
        {
            error = "no FILE given; pass one or more CSV logs, e.g. netdrop analyze /var/log/network_drops.log*.";
            return false;
        }

        if (!TryResolveFormat(request.Format, request.Output, out format, out error))
        {
            return false;
        }

        if (request.Top is < 0 or > MaxTop)
        {
            error = $"--top must be between 0 and {MaxTop}, not {request.Top}.";
            return false;
        }

        if (request.Last is < 0 or > MaxLast)
        {
            error = $"--last must be between 0 and {MaxLast}, not {request.Last}.";
            return false;
        }

        LocalTimestamp now = LocalTimestamp.FromDateTime(time.GetLocalNow().DateTime);
        LocalTimestamp? since = null;
        LocalTimestamp? until = null;
        if (request.Since is { } sinceText)
        {
            if (!TryParseTime(sinceText, now, out LocalTimestamp value))
            {
                error = $"--since '{sinceText}' is neither a time (yyyy-MM-dd[ HH:mm[:ss]]) nor an age (30m, 6h, 2d).";
                return false;
            }

            since = value;
        }

        if (request.Until is { } untilText)
        {
            if (!TryParseTime(untilText, now, out LocalTimestamp value))
            {
                error = $"--until '{untilText}' is neither a time (yyyy-MM-dd[ HH:mm[:ss]]) nor an age (30m, 6h, 2d).";
                return false;
            }

            // A bare date means the whole day: --until 2026-02-03 keeps 2026-02-03 23:59:59.
            until = untilText.Trim().Length == 10 ? value.AddSeconds(86_399) : value;
        }

        if (since is { } s && until is { } u && s > u)
        {
            error = $"--since ({s}) is after --until ({u}).";
            return false;
        }

        var filter = new ReportFilter(since, until, [.. request.Interfaces.Where(i => !string.IsNullOrWhiteSpace(i))]);
        options = new AnalysisOptions(request.Files, filter, request.Top, request.Last);
        error = null;
        return true;
    }

    private static bool TryResolveFormat(string? requested, string? output, out ReportFormat format, out string? error)
    {
        error = null;
        string? name = requested;
        if (name is null && output is not null)
        {
            name = Path.GetExtension(output).ToUpperInvariant() switch
            {
                ".HTML" or ".HTM" => "html",
                ".JSON" => "json",
                ".MD" or ".MARKDOWN" => "markdown",
                _ => "text",
            };
        }

        switch (name ?? "text")
        {
            case "text":
                format = ReportFormat.Text;
                return true;
            case "json":
                format = ReportFormat.Json;
                return true;
            case "markdown" or "md":
                format = ReportFormat.Markdown;
                return true;
            case "html":
                format = ReportFormat.Html;
                return true;
            default:
                format = ReportFormat.Text;
                error = $"--format must be text, json, markdown or html, not '{name}'.";
                return false;
        }
    }

    /// <summary>An absolute time as the CSV writes it, or an age back from now: <c>90s</c>, <c>30m</c>, <c>6h</c>, <c>2d</c>.</summary>
    internal static bool TryParseTime(string text, LocalTimestamp now, out LocalTimestamp value)
    {
        if (LocalTimestamp.TryParseUserInput(text, out value))
        {
            return true;
        }

        string trimmed = text.Trim();
        if (trimmed.Length >= 2
            && long.TryParse(trimmed.AsSpan(0, trimmed.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out long amount))
        {
            long unit = char.ToLowerInvariant(trimmed[^1]) switch
            {
                's' => 1,
                'm' => 60,
                'h' => 3600,
                'd' => 86_400,
                'w' => 7 * 86_400,
                _ => 0,
            };
            if (unit > 0 && amount <= 100L * 365 * 86_400 / unit)
            {
                value = now.AddSeconds(-amount * unit);
                return true;
            }
        }

        value = default;
        return false;
    }

    private static string FormatName(ReportFormat format) => format switch
    {
        ReportFormat.Json => "JSON",
        ReportFormat.Markdown => "Markdown",
        ReportFormat.Html => "HTML",
        _ => "text",
    };

    private static int TerminalWidth()
    {
        try
        {
            int width = Console.WindowWidth;
            return width > 0 ? width : TextReportRenderer.DefaultWidth;
        }
        catch (IOException)
        {
            return TextReportRenderer.DefaultWidth;
        }
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").TrimEnd('.');
}
