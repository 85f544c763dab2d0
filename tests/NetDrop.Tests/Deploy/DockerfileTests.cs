using System.Text.Json;
using System.Text.RegularExpressions;

namespace NetDrop.Tests.Deploy;

/// <summary>
/// The Dockerfile cannot be built here (no container engine), so its build step is the very publish test.sh runs
/// (and the AOT check there proves); these tests hold the two together and check the runtime stage's shape.
/// </summary>
public sealed partial class DockerfileTests
{
    private static readonly string s_dockerfile = File.ReadAllText(RepositoryRoot.Combine("Dockerfile"));

    private static string[] Lines => [.. JoinContinuations(s_dockerfile).Where(line => line.Length > 0 && !line.StartsWith('#'))];

    private static string[] FinalStage => [.. Lines.SkipWhile((_, index) => index < Array.FindLastIndex(Lines, line => line.StartsWith("FROM ", StringComparison.Ordinal)))];

    [Fact]
    public void Stages_BuildOnTheAotSdkAndRunOnChiseledRuntimeDeps()
    {
        string[] froms = [.. Lines.Where(line => line.StartsWith("FROM ", StringComparison.Ordinal))];

        Assert.Equal(2, froms.Length);
        Assert.Matches(@"^FROM mcr\.microsoft\.com/dotnet/sdk:\$\{DOTNET_VERSION\}-noble-aot AS build$", froms[0]);
        Assert.Matches(@"^FROM mcr\.microsoft\.com/dotnet/runtime-deps:\$\{DOTNET_VERSION\}-noble-chiseled$", froms[1]);
        Assert.Contains("ARG DOTNET_VERSION=10.0", Lines);
    }

    [Fact]
    public void Publish_IsTheSameCommandAsTheTestSuitesAotCheck()
    {
        string testScript = File.ReadAllText(RepositoryRoot.Combine("test.sh"));
        string[] suite = Normalise(Assert.Single(PublishCommand().Matches(testScript)).Value);
        string run = Assert.Single(Lines, line => line.Contains("dotnet publish", StringComparison.Ordinal));
        string[] image = Normalise(run[run.IndexOf("dotnet publish", StringComparison.Ordinal)..]);

        Assert.Equal(suite, image);
    }

    [Fact]
    public void Publish_MapsTargetArchToTheX64AndArm64RuntimeIdentifiers()
    {
        Assert.Contains("ARG TARGETARCH", Lines);
        Assert.Contains("amd64) rid=linux-x64", s_dockerfile, StringComparison.Ordinal);
        Assert.Contains("arm64) rid=linux-arm64", s_dockerfile, StringComparison.Ordinal);
    }

    [Fact]
    public void RuntimeStage_IsNonRootNeedsNoShellAndRunsTheBinary()
    {
        Assert.Contains("USER 1654:1654", FinalStage);
        Assert.DoesNotContain(FinalStage, line => line.StartsWith("RUN ", StringComparison.Ordinal));
        Assert.Contains("COPY --link --from=build /app/netdrop /app/netdrop", FinalStage);

        string[] entrypoint = ExecForm("ENTRYPOINT");
        string[] command = ExecForm("CMD");
        Assert.Equal(["/app/netdrop"], entrypoint);
        Assert.Equal(["monitor", "--proc-root", "/host/proc", "--sys-root", "/host/sys", "--no-csv", "--no-color"], command);
    }

    [Fact]
    public void RuntimeStage_EntrypointIsWhatTheChartsProbesExecute()
    {
        string probe = RenderedChart.Render().Agent.Map("livenessProbe").Map("exec").Seq("command").Strings().First();

        Assert.Equal(ExecForm("ENTRYPOINT")[0], probe);
    }

    [Fact]
    public void DockerIgnore_AdmitsEveryCopiedSourceAndNothingBuilt()
    {
        string[] rules = [.. File.ReadAllLines(RepositoryRoot.Combine(".dockerignore")).Where(line => line.Length > 0 && !line.StartsWith('#'))];

        Assert.Equal("*", rules[0]);
        foreach (string source in Lines.Where(line => line.StartsWith("COPY ", StringComparison.Ordinal) && !line.Contains("--from", StringComparison.Ordinal))
                     .SelectMany(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..^1])
                     .Where(token => !token.StartsWith("--", StringComparison.Ordinal)))
        {
            Assert.Contains(rules, rule => rule.StartsWith('!') && (source == rule[1..] || (rule.EndsWith('/') && source.StartsWith(rule[1..], StringComparison.Ordinal))));
            Assert.True(File.Exists(RepositoryRoot.Combine(source)) || Directory.Exists(RepositoryRoot.Combine(source)), source);
        }

        Assert.Contains("src/**/bin/", rules);
        Assert.Contains("src/**/obj/", rules);
    }

    private static string[] ExecForm(string instruction)
    {
        string line = Assert.Single(FinalStage, line => line.StartsWith(instruction + " ", StringComparison.Ordinal));
        return JsonSerializer.Deserialize<string[]>(line[(instruction.Length + 1)..])!;
    }

    /// <summary>The publish arguments with the runtime identifier and output directory, which must differ, masked.</summary>
    private static string[] Normalise(string command)
    {
        string[] tokens = command.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        for (int i = 0; i < tokens.Length - 1; i++)
        {
            if (tokens[i] is "-r" or "-o")
            {
                tokens[i + 1] = "<" + tokens[i] + ">";
            }
        }

        return tokens;
    }

    private static IEnumerable<string> JoinContinuations(string text)
    {
        var current = new System.Text.StringBuilder();
        foreach (string raw in text.Split('\n'))
        {
            string line = raw.Trim();
            if (line.EndsWith('\\'))
            {
                current.Append(line[..^1]).Append(' ');
                continue;
            }

            current.Append(line);
            yield return current.ToString();
            current.Clear();
        }
    }

    [GeneratedRegex(@"dotnet publish src/NetDrop [^>\n]*?(?=\s*>|\s*$)", RegexOptions.Multiline)]
    private static partial Regex PublishCommand();
}
