namespace NetDrop.Tests.Deploy;

/// <summary>
/// The release artifacts eng/package.sh builds, once for the tests of <see cref="ReleasePackagingCollectionDefinition"/>
/// (it publishes the Native AOT binary first when artifacts/aot is missing or stale, which takes minutes here).
/// </summary>
public sealed class ReleaseArtifacts : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("netdrop-release-").FullName;

    public ReleaseArtifacts()
    {
        // dpkg-shlibdeps (Depends from the binary's symbols) is in dpkg-dev, which a minimal machine lacks.
        if (!File.Exists("/usr/bin/dpkg-shlibdeps"))
        {
            var noninteractive = new Dictionary<string, string> { ["DEBIAN_FRONTEND"] = "noninteractive" };
            ProcessRunner.Run("apt-get", ["-o", "DPkg::Lock::Timeout=600", "update", "-qq"], TimeSpan.FromMinutes(10), noninteractive);
            ProcessRunner.Run("apt-get", ["-o", "DPkg::Lock::Timeout=600", "install", "-y", "-qq", "--no-install-recommends", "dpkg-dev"], TimeSpan.FromMinutes(10), noninteractive);
        }

        Build = ProcessRunner.Run("bash", [RepositoryRoot.Combine("eng", "package.sh"), "--out", _directory], TimeSpan.FromMinutes(15));
        Version = File.ReadAllText(RepositoryRoot.Combine("Directory.Build.props")).Split("<Version>")[1].Split("</Version>")[0];
    }

    /// <summary>package.sh's run: the tests assert on it, so that a failed build fails them with its output.</summary>
    internal ProcessRunner.Result Build { get; }

    /// <summary>The project's version (Directory.Build.props), which the artifacts' names and metadata must carry.</summary>
    public string Version { get; }

    public string Deb => Path.Join(_directory, $"netdrop_{Version}_amd64.deb");

    public string Tarball => Path.Join(_directory, $"netdrop-{Version}-linux-x64.tar.gz");

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
