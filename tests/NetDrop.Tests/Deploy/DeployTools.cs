namespace NetDrop.Tests.Deploy;

/// <summary>
/// The real tools the deployment tests run: helm, the Kubernetes schema validator, promtool, amtool, logrotate
/// and systemd-analyze. Each is installed on first use by the repository's own eng/ script (idempotent, cached in
/// .tools/); a tool that is still missing afterwards fails the test that needed it. Nothing here ever skips.
/// </summary>
internal static class DeployTools
{
    private static readonly Lazy<string> s_helm = new(() =>
        Install("eng/install-helm.sh", RepositoryRoot.Combine(".tools", "helm", "helm")));

    private static readonly Lazy<string> s_validator = new(() =>
        Install("eng/install-k8s-validator.sh", RepositoryRoot.Combine(".tools", "k8s-validator", "validate.mjs")));

    private static readonly Lazy<string> s_deployTools = new(() =>
        Install("eng/install-deploy-tools.sh", RepositoryRoot.Combine(".tools", "deploy-tools", "bin", "promtool")));

    public static string Helm => s_helm.Value;

    public static string ValidatorScript => s_validator.Value;

    public static string Promtool => Path.Join(Path.GetDirectoryName(s_deployTools.Value), "promtool");

    /// <summary>The Prometheus server from the same Debian package as promtool, unpacked, never installed as a service.</summary>
    public static string Prometheus => Path.Join(Path.GetDirectoryName(s_deployTools.Value), "prometheus");

    public static string Amtool => Path.Join(Path.GetDirectoryName(s_deployTools.Value), "amtool");

    public static string Logrotate => Path.Join(Path.GetDirectoryName(s_deployTools.Value), "logrotate");

    /// <summary>systemd-analyze from PATH; eng/install-deploy-tools.sh installs Debian's systemd when it is missing.</summary>
    public static string SystemdAnalyze
    {
        get
        {
            _ = s_deployTools.Value;
            return FindOnPath("systemd-analyze")
                ?? throw new InvalidOperationException("systemd-analyze is missing even after eng/install-deploy-tools.sh");
        }
    }

    /// <summary>helm with its cache, config and data kept under .tools/ instead of the user's home.</summary>
    public static ProcessRunner.Result RunHelm(params string[] arguments)
    {
        string home = RepositoryRoot.Combine(".tools", "helm-home");
        var environment = new Dictionary<string, string>
        {
            ["HELM_CACHE_HOME"] = Path.Join(home, "cache"),
            ["HELM_CONFIG_HOME"] = Path.Join(home, "config"),
            ["HELM_DATA_HOME"] = Path.Join(home, "data"),
        };
        return ProcessRunner.Run(Helm, arguments, TimeSpan.FromSeconds(120), environment);
    }

    /// <summary>Runs the offline validator over manifest files; exit code 0 means every document is valid.</summary>
    public static ProcessRunner.Result Validate(params string[] manifestFiles) =>
        ProcessRunner.Run("node", [ValidatorScript, .. manifestFiles], TimeSpan.FromSeconds(120));

    private static string Install(string script, string expected)
    {
        ProcessRunner.Result result = ProcessRunner.Run("bash", [RepositoryRoot.Combine(script)], TimeSpan.FromMinutes(8));
        if (result.ExitCode != 0 || !File.Exists(expected))
        {
            throw new InvalidOperationException(
                $"{script} did not install {expected} (exit {result.ExitCode}): {result.Output} {result.Error}");
        }

        return expected;
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Join(directory, name))
            .FirstOrDefault(File.Exists);
}
