using System.Diagnostics;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using NetDrop.Model;
using Xunit.Abstractions;

namespace NetDrop.Analysis.Tests;

/// <summary>
/// The HTML report as a colleague sees it: opened from a file:// URL in headless Chromium (Debian's chromium
/// package, which the test command installs), screenshotted, and its DOM dumped to check the charts are there.
/// Without Chromium the test fails: a report nobody opened is not proven to render.
/// </summary>
public sealed partial class HtmlReportChromiumTests
{
    private const string Chromium = "/usr/bin/chromium";

    private readonly ITestOutputHelper _output;

    public HtmlReportChromiumTests(ITestOutputHelper output)
    {
        _output = output;
    }

    /// <summary>Where the last screenshot is kept for people to look at.</summary>
    public static string ScreenshotPath => Path.Combine(AppContext.BaseDirectory, "screenshots", "analyze-report.png");

    [Fact]
    public void HtmlReport_OpenedInHeadlessChromium_RendersTheChartsAndAScreenshot()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: install Debian's chromium package (apt-get install -y chromium).");

        string directory = AnalyzeTestFiles.NewTempDirectory();
        string html = Path.Combine(directory, "report.html");
        DropReport report = DropAnalyzer.Analyze(DropCategories.Table, new AnalysisOptions([AnalyzeTestFiles.Fixture("netdrop-afternoon.csv")], ReportFilter.None));
        using (var writer = new StreamWriter(html))
        {
            ReportRenderer.Render(report, ReportFormat.Html, writer);
        }

        string source = File.ReadAllText(html);

        // No network: nothing in the file may point outside it.
        Assert.DoesNotMatch(ExternalReference(), source);

        // Each inline SVG chart is well-formed XML on its own.
        foreach (Match svg in InlineSvg().Matches(source))
        {
            XElement element = XElement.Parse(svg.Value);
            Assert.Equal("svg", element.Name.LocalName);
        }

        string screenshot = Path.Combine(directory, "report.png");
        (int exit, string stdout, string stderr) = RunChromium(directory, $"--screenshot={screenshot}", "--window-size=1280,3600", new Uri(html).AbsoluteUri);
        Assert.True(exit == 0, $"chromium --screenshot exited {exit}: {stderr}");
        byte[] png = File.ReadAllBytes(screenshot);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        Assert.Equal(1280, ReadBigEndian(png, 16));
        Assert.Equal(3600, ReadBigEndian(png, 20));
        Assert.True(png.Length > 150_000, $"the screenshot is only {png.Length} bytes: the page looks blank");
        Directory.CreateDirectory(Path.GetDirectoryName(ScreenshotPath)!);
        File.Copy(screenshot, ScreenshotPath, overwrite: true);
        _output.WriteLine($"screenshot: {ScreenshotPath}");

        (exit, stdout, stderr) = RunChromium(directory, "--dump-dom", new Uri(html).AbsoluteUri);
        Assert.True(exit == 0, $"chromium --dump-dom exited {exit}: {stderr}");
        Assert.DoesNotContain("Uncaught", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(":CONSOLE", stderr, StringComparison.Ordinal);

        // The DOM Chromium built holds every chart, with as many marks as the generator wrote.
        foreach (string id in (string[])["chart-timeline", "chart-heatmap", "chart-categories", "chart-by-hour"])
        {
            string inDom = SvgById(stdout, id);
            string inFile = SvgById(source, id);
            Assert.True(CountRects(inDom) > 3, $"{id} has {CountRects(inDom)} rects in the rendered DOM");
            Assert.Equal(CountRects(inFile), CountRects(inDom));
        }

        Assert.True(CountRects(SvgById(stdout, "chart-heatmap")) >= 24, "the heatmap has a cell per hour");
        Assert.Contains("<table id=\"episodes\">", stdout, StringComparison.Ordinal);
        Assert.Contains("<table id=\"top-intervals\">", stdout, StringComparison.Ordinal);
        Assert.Contains("accept_queue", SvgById(stdout, "chart-categories"), StringComparison.Ordinal);
    }

    private (int Exit, string Stdout, string Stderr) RunChromium(string directory, params string[] arguments)
    {
        string profile = Path.Combine(directory, "chromium-profile-" + Guid.NewGuid().ToString("N"));
        var start = new ProcessStartInfo(Chromium)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string argument in (string[])[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--hide-scrollbars", "--run-all-compositor-stages-before-draw", "--virtual-time-budget=5000",
            $"--user-data-dir={profile}"])
        {
            start.ArgumentList.Add(argument);
        }

        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using Process process = Process.Start(start)!;
            Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(120_000))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail("chromium did not finish within 120 s");
            }

            _output.WriteLine($"chromium {string.Join(' ', arguments)} → exit {process.ExitCode}");
            return (process.ExitCode, stdout.Result, stderr.Result);
        }
        finally
        {
            if (Directory.Exists(profile))
            {
                Directory.Delete(profile, recursive: true);
            }
        }
    }

    private static string SvgById(string html, string id)
    {
        int start = html.IndexOf($"<svg id=\"{id}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no <svg id=\"{id}\"> in the page");
        int end = html.IndexOf("</svg>", start, StringComparison.Ordinal);
        return html[start..(end + 6)];
    }

    private static int CountRects(string svg) => Regex.Count(svg, "<rect\\b");

    private static int ReadBigEndian(byte[] bytes, int offset) =>
        (bytes[offset] << 24) | (bytes[offset + 1] << 16) | (bytes[offset + 2] << 8) | bytes[offset + 3];

    [GeneratedRegex("(src|href)\\s*=\\s*\"(https?:|//)|@import|url\\((?!#)", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalReference();

    [GeneratedRegex("<svg\\b.*?</svg>", RegexOptions.Singleline)]
    private static partial Regex InlineSvg();
}
