using System.Runtime.InteropServices;
using System.Text;
using NetDrop.Configuration;

namespace NetDrop.Tests.Faults;

/// <summary>
/// Issue 15 items 5–7 against the real executable: every input that crashed with a stack trace (exit 134), hung, grew
/// without bound or was silently ignored now ends with exit 2 and one sentence on stderr naming the key or variable.
/// Each runs <c>netdrop monitor</c> (the agent's own start path, the one systemd and the kubelet use); a hang fails
/// through ProcessRunner's bound instead of blocking the suite.
/// </summary>
[Trait("Category", "Fault")]
public sealed partial class ConfigFaultTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("netdrop-config-fault-").FullName;

    [Theory]
    [InlineData("exclude: [\ns", "bad.yaml:1:10: not valid YAML")] // the 12-byte crash: YamlDotNet throws InvalidOperationException
    [InlineData("interval: 99999999999h\n", "bad.yaml:1:11: key 'interval' must be a duration from 0.01s to 3600s")]
    [InlineData("otlp:\n  headers: \"a=1,a=2\"\n", "bad.yaml:2:12: key 'otlp.headers' must name each header once; 'a' appears twice, got '***'")]
    [InlineData("otlp:\n  headers: \"=1\"\n", "bad.yaml:2:12: key 'otlp.headers' must be key=value pairs separated by commas; a header has an empty name")]
    [InlineData("otlp:\n  headers: \"a=1,,b=2\"\n", "bad.yaml:2:12: key 'otlp.headers' must be key=value pairs separated by commas, with no empty entry")]
    [InlineData("csv:\n  path: \"/tmp/netdrop-fault\\0.csv\"\n", "bad.yaml:2:9: key 'csv.path' must not contain a NUL character")]
    [InlineData("csv:\n  max_size_mb: 17592186044417\n", "bad.yaml:2:16: key 'csv.max_size_mb' must be a whole number from 0 to 1048576")]
    [InlineData("interval: 5s\n---\ninterval: 1s\n", "bad.yaml:2:1: a second YAML document ('---') would not be read")]
    [InlineData("thresholds: [1]\n", "bad.yaml:1:13: key 'thresholds' is a section")]
    [InlineData("csv: /tmp/x.csv\n", "bad.yaml:1:6: key 'csv' is a section")]
    [InlineData("thresholds:\n  softirk: 5\n", "bad.yaml:2:3: unknown key 'thresholds.softirk' (did you mean 'thresholds.softirq'?)")]
    [InlineData(": 5\n", "bad.yaml:1:1: a key must be a plain name, not empty")]
    [InlineData("[a]: 5\n", "bad.yaml:1:1: a key must be a plain name, not a list")]
    [InlineData("interval: 5s\ninterval: 6s\n", "bad.yaml:2:1: not valid YAML: Duplicate key interval")]
    public void Monitor_CrashingOrIgnoredConfig_ExitsTwoWithOneSentence(string yaml, string expected)
    {
        File.WriteAllText(Path.Join(_directory, "bad.yaml"), yaml);

        // The csv.path case must not have --no-csv override the file's value; the others never get as far as a CSV.
        AssertOneSentenceExitTwo(Monitor(["--config", "bad.yaml"], csvFromConfig: yaml.Contains("path:", StringComparison.Ordinal)), expected);
    }

    [Fact]
    public void Monitor_DeeplyNestedFlowSequences_ExitsTwoWithoutParsingTheWholeFile()
    {
        // 80 KB of "[[[[...]]]]" took YamlDotNet 30 s (quadratic); the depth check stops at level 17.
        File.WriteAllText(Path.Join(_directory, "bad.yaml"), "exclude: " + new string('[', 40_000) + new string(']', 40_000) + "\n");

        ProcessRunner.Result result = Monitor(["--config", "bad.yaml"]);

        AssertOneSentenceExitTwo(result, "bad.yaml:1:");
        Assert.Contains("nested more than 16 levels deep", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Monitor_ConfigIsAFifo_ExitsTwoInsteadOfBlocking()
    {
        string fifo = Path.Join(_directory, "netdrop.yaml");
        Assert.Equal(0, mkfifo(fifo, 0x180)); // 0600; nobody ever writes to it

        AssertOneSentenceExitTwo(Monitor(["--config", fifo]), $"the config file '{fifo}' is not a regular file");
    }

    [Theory]
    [InlineData("/dev/zero", "is not a regular file")] // grew to 2 GB before
    [InlineData("/tmp", "is a directory")]
    public void Monitor_ConfigIsNotAFile_ExitsTwo(string path, string expected)
    {
        AssertOneSentenceExitTwo(Monitor(["--config", path]), $"the config file '{path}' {expected}");
    }

    [Fact]
    public void Monitor_ConfigLargerThanOneMebibyte_ExitsTwo()
    {
        File.WriteAllText(Path.Join(_directory, "big.yaml"), "# " + new string('x', 2 * 1024 * 1024) + "\ninterval: 5s\n");

        AssertOneSentenceExitTwo(Monitor(["--config", "big.yaml"]), "the config file 'big.yaml' is larger than 1 MiB");
    }

    [Theory]
    [InlineData("OTEL_METRIC_EXPORT_INTERVAL", "0", "environment OTEL_METRIC_EXPORT_INTERVAL must be whole milliseconds from 100 to 3600000, got '0'")]
    [InlineData("OTEL_METRIC_EXPORT_INTERVAL", "abc", "environment OTEL_METRIC_EXPORT_INTERVAL must be whole milliseconds from 100 to 3600000, got 'abc'")]
    [InlineData("OTEL_METRIC_EXPORT_INTERVAL", "99999999999999999999", "environment OTEL_METRIC_EXPORT_INTERVAL must be whole milliseconds")]
    [InlineData("OTEL_EXPORTER_OTLP_PROTOCOL", "foo", "environment OTEL_EXPORTER_OTLP_PROTOCOL must be grpc or http/protobuf")]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPOINT", "not-a-url", "environment OTEL_EXPORTER_OTLP_ENDPOINT must be an http:// or https:// URL")]
    [InlineData("OTEL_EXPORTER_OTLP_HEADERS", "a=1,a=2", "environment OTEL_EXPORTER_OTLP_HEADERS must name each header once; 'a' appears twice, got '***'")]
    [InlineData("OTEL_EXPORTER_OTLP_HEADERS", "=secret", "environment OTEL_EXPORTER_OTLP_HEADERS must be key=value pairs separated by commas; a header has an empty name, got '***'")]
    [InlineData("OTEL_EXPORTER_OTLP_TIMEOUT", "-1", "environment OTEL_EXPORTER_OTLP_TIMEOUT must be whole milliseconds")]
    public void Monitor_BadOtelVariable_ExitsTwoNamingIt(string name, string value, string expected)
    {
        // With an endpoint, so the exporter would really be built (the SDK threw on 0 and the headers, ignored the rest).
        var environment = new Dictionary<string, string> { [name] = value };
        if (name != "OTEL_EXPORTER_OTLP_ENDPOINT")
        {
            environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:4317";
        }

        AssertOneSentenceExitTwo(Monitor([], environment), expected);
    }

    [Fact]
    public void Parse_FixedSeedRandomMutationsOfTheFullFile_OnlyEverFailWithAUsageException()
    {
        // 300 mutated copies of the full example (bytes flipped, cut, brackets and quotes thrown in): each either loads
        // or fails with the one-sentence UsageException; any other exception would be a stack trace at the prompt.
        string full = File.ReadAllText(Path.Join(AppContext.BaseDirectory, "Fixtures", "config", "full.yaml"));
        var random = new Random(1512);
        string[] inserts = ["[", "]", "{", "}", "\"", "'", ":", "- ", "\n", "\t", "&a ", "*a", "!!", "%", "\0", "---\n", "? ", "|", ">"];
        int usageErrors = 0;
        for (int i = 0; i < 300; i++)
        {
            var text = new StringBuilder(full);
            for (int edits = 1 + random.Next(4); edits > 0 && text.Length > 0; edits--)
            {
                int at = random.Next(text.Length);
                switch (random.Next(3))
                {
                    case 0: text.Insert(at, inserts[random.Next(inserts.Length)]); break;
                    case 1: text.Remove(at, Math.Min(text.Length - at, 1 + random.Next(8))); break;
                    default: text.Length = at; break;
                }
            }

            try
            {
                var configuration = new NetDropConfiguration();
                configuration.Apply(YamlConfigReader.Parse(text.ToString(), "fuzz.yaml"));
                configuration.Bind();
            }
            catch (UsageException ex)
            {
                Assert.StartsWith("fuzz.yaml:", ex.Message, StringComparison.Ordinal);
                Assert.DoesNotContain('\n', ex.Message);
                usageErrors++;
            }
        }

        Assert.True(usageErrors > 50, $"only {usageErrors} of 300 mutations were rejected: the fuzzer is not reaching the parser");
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static void AssertOneSentenceExitTwo(ProcessRunner.Result result, string expected)
    {
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
        Assert.True(2 == result.ExitCode, $"exit {result.ExitCode}; stderr: {result.Error}");
        Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("netdrop: " + expected, result.Error, StringComparison.Ordinal);
    }

    private ProcessRunner.Result Monitor(string[] arguments, Dictionary<string, string>? environment = null, bool csvFromConfig = false) =>
        ProcessRunner.Run("dotnet", [ProcessRunner.NetDropDll, "monitor", "--count", "1", .. (csvFromConfig ? (string[])[] : ["--no-csv"]), "--interface", "lo", .. arguments],
            TimeSpan.FromSeconds(60), environment, _directory);

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int mkfifo(string path, uint mode);
}
