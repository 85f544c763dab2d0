using System.Reflection;
using System.Text.RegularExpressions;
using NetDrop.Configuration;
using NetDrop.Model;

namespace NetDrop.Tests.Configuration;

/// <summary>
/// A key's default is written once, in <see cref="ConfigKeys"/>. Everything else that states it (the options an
/// object built in code starts with, <c>config show</c>, <c>--help</c>, the shipped netdrop.yaml) must say the same,
/// and the defaults themselves are pinned by a hand-written golden: changing one is a decision, never a side effect.
/// </summary>
public sealed partial class ConfigDefaultsTests
{
    // What ships beside the binary and tells an operator which variables to set.
    private static readonly string[] s_shippedFiles = ["README.md", "netdrop.yaml"];
    private static readonly string[] s_shippedFolders = ["docs", "helm", "k8s", "deploy"];

    [Fact]
    public void MonitorOptions_BuiltInCode_StartsWhereAnEmptyConfigurationBinds()
    {
        // Tests and benchmarks build MonitorOptions directly: they must run with the defaults the agent runs with.
        MonitorOptions bound = new NetDropConfiguration().Bind();
        var built = new MonitorOptions();

        Assert.Empty(Differences(built, bound, nameof(MonitorOptions)));
    }

    [Fact]
    public void ConfigShow_NoFileNoEnvironment_PrintsTheGoldenDefaults()
    {
        // The golden is written by hand from the seed's and DESIGN.md's defaults (5 s, 100 drops, the seed's log
        // path, export every 10 s...). Runs the real binary: what an operator sees is what is pinned.
        string golden = Path.Join(AppContext.BaseDirectory, "Fixtures", "config", "defaults.show.txt");

        ProcessRunner.Result result = ProcessRunner.NetDrop("config", "show");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(File.ReadAllText(golden), result.Output);
    }

    [Fact]
    public void ConfigShow_EmptyConfiguration_ShowsEveryKeyOnceAtItsTableDefault()
    {
        string[] lines = ConfigRenderer.Render(new NetDropConfiguration()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Dictionary<string, string> shown = ShownValues(lines);

        Assert.Equal(ConfigKeys.All.Select(key => key.Path).Order(StringComparer.Ordinal), shown.Keys.Order(StringComparer.Ordinal));
        foreach (ConfigKey key in ConfigKeys.All)
        {
            string expected = key is ListKey ? "[]" : key.DefaultText.Length == 0 ? "''" : key.DefaultText;
            Assert.True(shown[key.Path] == expected, $"config show prints {key.Path}: {shown[key.Path]}, the table's default is {expected}");
        }
    }

    [Theory]
    [InlineData("--interval")]
    [InlineData("--namespace-interval")]
    [InlineData("--csv")]
    [InlineData("--threshold")]
    [InlineData("--proc-root")]
    [InlineData("--sys-root")]
    public void MonitorHelp_Option_QuotesTheTablesDefault(string flag)
    {
        // The flag -> key mapping is the CLI's contract, written here rather than read from MonitorCommand.
        ConfigKey key = flag switch
        {
            "--interval" => ConfigKeys.Interval,
            "--namespace-interval" => ConfigKeys.NamespaceInterval,
            "--csv" => ConfigKeys.CsvPath,
            "--threshold" => ConfigKeys.Threshold,
            "--proc-root" => ConfigKeys.ProcRoot,
            _ => ConfigKeys.SysRoot,
        };

        ProcessRunner.Result help = ProcessRunner.NetDrop("monitor", "--help");

        Assert.Equal(0, help.ExitCode);
        string description = OptionDescription(help.Output, flag);
        Assert.Contains($"Default: {key.DefaultText}.", description, StringComparison.Ordinal);
    }

    [Fact]
    public void RootHelp_SeedForm_QuotesTheTablesDefaults()
    {
        ProcessRunner.Result help = ProcessRunner.NetDrop("--help");

        Assert.Equal(0, help.ExitCode);
        Assert.Contains($"defaults: {ConfigKeys.SeedFormInterface} {ConfigKeys.Interval.DefaultText} {ConfigKeys.CsvPath.DefaultText}", help.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void ExampleFile_SetsEveryKeyToItsTableDefault()
    {
        // netdrop.yaml in the repository root is the documentation of the keys (README says it "lists every key with
        // its default"): every key is in it, at the table's default, and each "Default X." its comments state is
        // the value of the key that follows the comment.
        string example = RepositoryRoot.Combine("netdrop.yaml");
        NetDropConfiguration loaded = NetDropConfiguration.Load(example, new Dictionary<string, string>(), []);

        foreach (ConfigKey key in ConfigKeys.All)
        {
            ConfigEntry entry = loaded[key];
            Assert.True(entry.Origin.StartsWith(example + ":", StringComparison.Ordinal), $"netdrop.yaml does not set {key.Path}");
            Assert.True(entry.Text == key.DefaultText, $"netdrop.yaml sets {key.Path}: '{entry.Text}', the default is '{key.DefaultText}'");
        }

        string[] lines = File.ReadAllLines(example);
        int stated = 0;
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].TrimStart().StartsWith('#') && StatedDefault().Match(lines[i]) is { Success: true } match)
            {
                string keyLine = lines.Skip(i + 1).First(line => !line.TrimStart().StartsWith('#'));
                Assert.True(keyLine.EndsWith(": " + match.Groups[1].Value, StringComparison.Ordinal), $"netdrop.yaml:{i + 1} says Default {match.Groups[1].Value}, the key below is '{keyLine.Trim()}'");
                stated++;
            }
        }

        Assert.True(stated >= 4, $"netdrop.yaml states {stated} defaults in its comments; the check read none of them");
    }

    public static TheoryData<string> ShippedTextFiles()
    {
        var files = new TheoryData<string>();
        foreach (string file in s_shippedFiles
            .Concat(s_shippedFolders.SelectMany(folder =>
                Directory.EnumerateFiles(RepositoryRoot.Combine(folder), "*", SearchOption.AllDirectories)
                    .Select(path => Path.GetRelativePath(RepositoryRoot.Path, path))))
            .Where(path => Path.GetExtension(path) is ".md" or ".yaml" or ".yml" or ".tpl" or ".txt" or ".service" or "")
            .Where(path => EnvironmentVariable().IsMatch(File.ReadAllText(RepositoryRoot.Combine(path))))
            .Order(StringComparer.Ordinal))
        {
            files.Add(file);
        }

        return files;
    }

    [Theory]
    [MemberData(nameof(ShippedTextFiles))]
    public void ShippedFile_EveryNetDropVariableItNames_IsOneTheAgentReads(string file)
    {
        // A variable the chart, a unit or the docs set that no key reads would stop the agent (an unknown NETDROP_*
        // is an error): each one named is given to the environment reader, which must take it.
        string text = File.ReadAllText(RepositoryRoot.Combine(file));
        foreach (string name in EnvironmentVariable().Matches(text).Select(match => match.Value).Distinct(StringComparer.Ordinal))
        {
            IReadOnlyList<ConfigEntry> read = EnvironmentConfigReader.Read(new Dictionary<string, string> { [name] = "1" });

            Assert.Equal(name, Assert.Single(read).Origin["environment ".Length..]);
        }
    }

    [Fact]
    public void EnvironmentNames_AreNetDropAndTheKeyPathInCapitals()
    {
        // Written out, as README and netdrop.yaml tell operators to spell them.
        string[] expected =
        [
            "NETDROP_INTERFACES", "NETDROP_EXCLUDE", "NETDROP_INTERVAL", "NETDROP_THRESHOLD", "NETDROP_PATHS_PROC",
            "NETDROP_PATHS_SYS", "NETDROP_LINK_SOURCE", "NETDROP_NAMESPACES", "NETDROP_NAMESPACE_INTERVAL", "NETDROP_CSV_PATH", "NETDROP_CSV_DETAIL_PATH", "NETDROP_CSV_MAX_SIZE_MB", "NETDROP_CSV_MAX_FILES",
            "NETDROP_CONSOLE_COLOR", "NETDROP_OTLP_ENDPOINT", "NETDROP_OTLP_PROTOCOL", "NETDROP_OTLP_HEADERS",
            "NETDROP_OTLP_EXPORT_INTERVAL", "NETDROP_OTLP_TIMEOUT", "NETDROP_PROMETHEUS_LISTEN", "NETDROP_ETHTOOL_ENABLED",
            "NETDROP_PER_CPU", "NETDROP_HEARTBEAT_FILE", "NETDROP_DROP_REASONS",
        ];

        Assert.Equal(expected, ConfigKeys.All.Select(key => key.EnvironmentName));
        foreach (string name in expected)
        {
            Assert.Single(EnvironmentConfigReader.Read(new Dictionary<string, string> { [name] = "1" }));
        }
    }

    [Fact]
    public void EnvironmentNames_EveryDropCategoryHasItsThresholdVariable()
    {
        // thresholds.<column> for each drop column of the category table; the name is this test's own spelling.
        foreach (DropCategory category in DropCategories.Table.Where(category => category.IsDrop))
        {
            string name = "NETDROP_THRESHOLDS_" + category.Column.ToUpperInvariant();

            ConfigEntry entry = Assert.Single(EnvironmentConfigReader.Read(new Dictionary<string, string> { [name] = "7" }));

            Assert.Equal(("thresholds." + category.Column, "7"), (entry.Path, entry.Text));
            Assert.Equal(7, NetDropConfiguration.Load(null, new Dictionary<string, string> { [name] = "7" }, []).Bind().CategoryThresholds[category.Column]);
        }
    }

    // "interval: 5s    # default" and "  proc: /proc    # default" -> interval = 5s, paths.proc = /proc.
    private static Dictionary<string, string> ShownValues(string[] lines)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        string? section = null;
        foreach (string line in lines.Where(line => !line.StartsWith('#')))
        {
            Match match = ShownLine().Match(line);
            Assert.True(match.Success, $"config show line '{line}'");
            if (match.Groups["value"].Value.Length == 0)
            {
                section = match.Groups["key"].Value;
                continue;
            }

            string key = match.Groups["indent"].Value.Length > 0 ? section + "." + match.Groups["key"].Value : match.Groups["key"].Value;
            Assert.True(values.TryAdd(key, match.Groups["value"].Value), $"config show prints {key} twice");
        }

        return values;
    }

    // The option's help entry: its first line and the wrapped lines below it, up to the next option.
    private static string OptionDescription(string help, string flag)
    {
        string[] lines = help.Split('\n');
        int first = Array.FindIndex(lines, line => OptionLine().Match(line) is { Success: true } match && match.Groups["flags"].Value.Split(", ").Contains(flag));
        Assert.True(first >= 0, $"no {flag} in the help:\n{help}");
        IEnumerable<string> wrapped = lines.Skip(first + 1).TakeWhile(line => line.Length > 0 && !OptionLine().IsMatch(line));
        return string.Join(' ', new[] { lines[first] }.Concat(wrapped).Select(line => line.Trim()));
    }

    private static List<string> Differences(object built, object bound, string path)
    {
        var differences = new List<string>();
        foreach (PropertyInfo property in built.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            object? left = property.GetValue(built);
            object? right = property.GetValue(bound);
            string name = path + "." + property.Name;
            if (left is OtlpSettings otlp)
            {
                differences.AddRange(Differences(otlp, right!, name));
            }
            else if (left is System.Collections.IEnumerable sequence and not string)
            {
                if (!sequence.Cast<object>().SequenceEqual(((System.Collections.IEnumerable)right!).Cast<object>()))
                {
                    differences.Add($"{name}: built in code with [{string.Join(", ", sequence.Cast<object>())}], an empty configuration binds another");
                }
            }
            else if (!Equals(left, right))
            {
                differences.Add($"{name}: built in code {left ?? "null"}, an empty configuration binds {right ?? "null"}");
            }
        }

        return differences;
    }

    [GeneratedRegex(@"^(?<indent>  )?(?<key>[a-z_]+):(?:\s+(?<value>\S.*?)\s+#.*)?$")]
    private static partial Regex ShownLine();

    [GeneratedRegex(@"^\s+(?<flags>-[^\s<,]+(?:, -[^\s<,]+)*)")]
    private static partial Regex OptionLine();

    [GeneratedRegex(@"Default (\S+?)\.(?:\s|$)")]
    private static partial Regex StatedDefault();

    [GeneratedRegex(@"\bNETDROP_[A-Z][A-Z0-9_]*")]
    private static partial Regex EnvironmentVariable();
}
