using System.Text;

namespace NetDrop.Analysis.Tests;

/// <summary>Where the analyze fixtures and bench scripts live, and scratch files for one test.</summary>
internal static class AnalyzeTestFiles
{
    public static string RepositoryRoot => global::NetDrop.Tests.Shared.RepositoryRoot.Path;

    public static string FixtureDirectory => Path.Combine(RepositoryRoot, "tests", "NetDrop.Analysis.Tests", "Fixtures", "analyze");

    public static string Fixture(string name) => Path.Combine(FixtureDirectory, name);

    public static string BenchScript(string name) => Path.Combine(RepositoryRoot, "bench", "analyze", name);

    private static readonly Lazy<string> s_scratch = new(CreateScratch);

    /// <summary>A new empty directory under this test run's scratch folder (deleted when the test process exits).</summary>
    public static string NewTempDirectory()
    {
        string path = Path.Combine(s_scratch.Value, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }

    private static string CreateScratch()
    {
        string root = Path.Combine(Path.GetTempPath(), "netdrop-analyze-tests-" + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(root);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: a file still open on exit stays in /tmp.
            }
        };
        return root;
    }

    /// <summary>Writes <paramref name="content"/> byte for byte (no newline translation) to a new temp file.</summary>
    public static string WriteTemp(string content, string name = "log.csv")
    {
        string path = Path.Combine(NewTempDirectory(), name);
        File.WriteAllBytes(path, Encoding.UTF8.GetBytes(content));
        return path;
    }
}
