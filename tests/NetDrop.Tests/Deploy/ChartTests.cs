using System.Text.RegularExpressions;
using NetDrop.Tests.TestSupport;
using YamlDotNet.RepresentationModel;

namespace NetDrop.Tests.Deploy;

/// <summary>The Helm chart, linted and rendered by the real helm, and the rendered objects checked field by field.</summary>
public sealed partial class ChartTests : IDisposable
{
    private static readonly string[] s_initCapabilities = ["CHOWN", "FOWNER"];

    private readonly string _directory = Directory.CreateTempSubdirectory("netdrop-chart-").FullName;

    public static TheoryData<string> CiValues => new(RenderedChart.CiValuesFiles.Select(Path.GetFileName)!);

    [Fact]
    public void CiValues_CoverTheVariantsDeployMdAsksFor()
    {
        string[] expected = ["csv-disabled-values.yaml", "default-values.yaml", "digest-values.yaml", "explicit-endpoint-values.yaml", "http-protobuf-values.yaml", "knobs-values.yaml"];

        string[] present = [.. RenderedChart.CiValuesFiles.Select(file => Path.GetFileName(file))];
        Assert.All(expected, name => Assert.Contains(name, present));
    }

    [Theory]
    [MemberData(nameof(CiValues))]
    public void HelmLintStrict_CiValues_Passes(string valuesFile)
    {
        ProcessRunner.Result result = DeployTools.RunHelm("lint", "--strict", RenderedChart.ChartDirectory, "-f", CiPath(valuesFile));

        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        Assert.Contains("1 chart(s) linted, 0 chart(s) failed", result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(CiValues))]
    public void HelmTemplate_CiValues_IsValidAgainstTheKubernetesSchemas(string valuesFile)
    {
        RenderedChart chart = RenderedChart.RenderWithValuesFile(CiPath(valuesFile));
        string manifests = chart.WriteTo(_directory, valuesFile);

        ProcessRunner.Result result = DeployTools.Validate(manifests);

        // Every rendered object went through a schema: the four of every install, plus the optional ones.
        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        Assert.True(chart.Documents.Count >= 4, $"only {chart.Documents.Count} documents rendered");
        Assert.Contains($"{chart.Documents.Count} documents, 0 problems", result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(CiValues))]
    public void Agent_CiValues_RunsNonRootWithAllCapabilitiesDroppedAndNoneAdded(string valuesFile)
    {
        RenderedChart chart = RenderedChart.RenderWithValuesFile(CiPath(valuesFile));
        YamlMappingNode security = chart.Agent.Map("securityContext");
        // The one opt-in exception (dropReasons.enabled, docs/deploy.md): exactly CAP_BPF and CAP_PERFMON, as uid 0.
        bool dropReasons = valuesFile == DropReasonsValues;

        Assert.Equal(["ALL"], security.Map("capabilities").Seq("drop").Strings());
        string[] expectedAdded = dropReasons ? ["BPF", "PERFMON"] : [];
        string[] added = security.Map("capabilities").Has("add") ? [.. security.Map("capabilities").Seq("add").Strings()] : [];
        Assert.Equal(expectedAdded, added);
        Assert.Equal(dropReasons ? "false" : "true", security.Str("runAsNonRoot"));
        Assert.Equal(dropReasons ? "0" : "1654", security.Str("runAsUser"));
        Assert.Equal("false", security.Str("allowPrivilegeEscalation"));
        Assert.Equal("false", security.Str("privileged"));
        Assert.Equal("true", security.Str("readOnlyRootFilesystem"));
        Assert.Equal("RuntimeDefault", security.Map("seccompProfile").Str("type"));
        Assert.Equal("true", chart.PodSpec.Map("securityContext").Str("runAsNonRoot"));
    }

    /// <summary>The ci values file that turns drop reasons on: the only one whose agent gains capabilities.</summary>
    private const string DropReasonsValues = "drop-reasons-values.yaml";

    [Theory]
    [MemberData(nameof(CiValues))]
    public void Pod_CiValues_SharesOnlyTheNodesNetworkNamespace(string valuesFile)
    {
        YamlMappingNode pod = RenderedChart.RenderWithValuesFile(CiPath(valuesFile)).PodSpec;

        Assert.Equal("true", pod.Str("hostNetwork"));
        Assert.Equal("ClusterFirstWithHostNet", pod.Str("dnsPolicy"));
        Assert.Equal("false", pod.Str("hostPID"));
        Assert.Equal("false", pod.Str("hostIPC"));
        Assert.Equal("false", pod.Str("automountServiceAccountToken"));
    }

    [Theory]
    [MemberData(nameof(CiValues))]
    public void Pod_CiValues_MountsHostProcAndSysReadOnly(string valuesFile)
    {
        RenderedChart chart = RenderedChart.RenderWithValuesFile(CiPath(valuesFile));

        foreach ((string volume, string hostPath, string mountPath) in new[] { ("proc", "/proc", "/host/proc"), ("sys", "/sys", "/host/sys") })
        {
            Assert.Equal(hostPath, chart.PodSpec.Seq("volumes").Named(volume).Map("hostPath").Str("path"));
            YamlMappingNode mount = chart.Agent.Seq("volumeMounts").Named(volume);
            Assert.Equal(mountPath, mount.Str("mountPath"));
            Assert.Equal("true", mount.Str("readOnly"));
        }

        Assert.Equal("/host/proc", chart.AgentConfig.Map("paths").Str("proc"));
        Assert.Equal("/host/sys", chart.AgentConfig.Map("paths").Str("sys"));
    }

    [Theory]
    [MemberData(nameof(CiValues))]
    public void Pod_CiValues_NoContainerIsPrivilegedOrGainsMoreThanChownAndFowner(string valuesFile)
    {
        YamlMappingNode pod = RenderedChart.RenderWithValuesFile(CiPath(valuesFile)).PodSpec;
        IEnumerable<YamlMappingNode> containers = pod.Seq("containers").Maps()
            .Concat(pod.Has("initContainers") ? pod.Seq("initContainers").Maps() : []);

        foreach (YamlMappingNode container in containers)
        {
            YamlMappingNode security = container.Map("securityContext");
            Assert.Equal("false", security.Str("privileged"));
            Assert.Equal("false", security.Str("allowPrivilegeEscalation"));
            Assert.Equal(["ALL"], security.Map("capabilities").Seq("drop").Strings());
            string[] added = security.Map("capabilities").Has("add") ? [.. security.Map("capabilities").Seq("add").Strings()] : [];
            string[] allowed = valuesFile == DropReasonsValues ? [.. s_initCapabilities, "BPF", "PERFMON"] : s_initCapabilities;
            Assert.All(added, capability => Assert.Contains(capability, allowed));
        }
    }

    [Fact]
    public void InitContainer_Default_PreparesTheCsvDirectoryAsRootWithChownAndFownerOnly()
    {
        RenderedChart chart = RenderedChart.Render();
        YamlMappingNode init = chart.PodSpec.Seq("initContainers").Named("prepare-log-dir");

        Assert.Equal(["prepare-log-dir", "/var/log/netdrop", "--owner", "1654:1654"], init.Seq("args").Strings());
        Assert.Equal("0", init.Map("securityContext").Str("runAsUser"));
        Assert.Equal(["CHOWN", "FOWNER"], init.Map("securityContext").Map("capabilities").Seq("add").Strings());
        Assert.Equal("/var/log/netdrop", init.Seq("volumeMounts").Named("csv").Str("mountPath"));
    }

    [Fact]
    public void InitContainer_FixOwnershipOff_IsNotRendered()
    {
        RenderedChart chart = RenderedChart.Render("--set", "csv.fixOwnership=false");

        Assert.False(chart.PodSpec.Has("initContainers"));
        Assert.Equal("/var/log/netdrop", chart.Agent.Seq("volumeMounts").Named("csv").Str("mountPath"));
    }

    [Fact]
    public void Csv_Disabled_RemovesItsVolumeMountInitContainerAndPath()
    {
        RenderedChart chart = RenderedChart.Render("-f", CiPath("csv-disabled-values.yaml"));

        Assert.DoesNotContain(chart.PodSpec.Seq("volumes").Maps(), volume => volume.Str("name") == "csv");
        Assert.DoesNotContain(chart.Agent.Seq("volumeMounts").Maps(), mount => mount.Str("name") == "csv");
        Assert.DoesNotContain(chart.PodSpec.Seq("volumes").Maps(), volume => volume.Has("hostPath") && volume.Map("hostPath").Str("path").StartsWith("/var/log", StringComparison.Ordinal));
        Assert.False(chart.PodSpec.Has("initContainers"));
        Assert.Equal(string.Empty, chart.AgentConfig.Map("csv").Str("path"));
    }

    [Fact]
    public void Csv_Enabled_WritesUnderTheMountedHostPathWithInAppRotation()
    {
        RenderedChart chart = RenderedChart.Render("--set", "csv.hostPath=/data/netdrop", "--set", "csv.maxSizeMb=20", "--set", "csv.maxFiles=3");
        YamlMappingNode csv = chart.AgentConfig.Map("csv");

        YamlMappingNode volume = chart.PodSpec.Seq("volumes").Named("csv").Map("hostPath");
        Assert.Equal("/data/netdrop", volume.Str("path"));
        Assert.Equal("DirectoryOrCreate", volume.Str("type"));
        string mountPath = chart.Agent.Seq("volumeMounts").Named("csv").Str("mountPath");
        Assert.Equal(mountPath + "/network_drops.log", csv.Str("path"));
        Assert.Equal("20", csv.Str("max_size_mb"));
        Assert.Equal("3", csv.Str("max_files"));
    }

    [Fact]
    public void OtlpEndpoint_Default_IsTheNodeLocalCollectorOnTheHostIp()
    {
        RenderedChart chart = RenderedChart.Render();

        Assert.Equal("http://$(HOST_IP):4317", chart.EnvValue("NETDROP_OTLP_ENDPOINT"));
        Assert.Equal("status.hostIP", chart.AgentEnv.Named("HOST_IP").Map("valueFrom").Map("fieldRef").Str("fieldPath"));
        Assert.Equal("grpc", chart.AgentConfig.Map("otlp").Str("protocol"));
    }

    [Fact]
    public void OtlpEndpoint_HttpProtobuf_DefaultsToPort4318()
    {
        RenderedChart chart = RenderedChart.Render("--set", "otlp.protocol=http/protobuf");

        Assert.Equal("http://$(HOST_IP):4318", chart.EnvValue("NETDROP_OTLP_ENDPOINT"));
        Assert.Equal("http/protobuf", chart.AgentConfig.Map("otlp").Str("protocol"));
    }

    [Fact]
    public void OtlpEndpoint_Override_Wins()
    {
        RenderedChart chart = RenderedChart.Render("--set", "otlp.endpoint=https://otlp.example.com:4317");

        Assert.Equal("https://otlp.example.com:4317", chart.EnvValue("NETDROP_OTLP_ENDPOINT"));
        Assert.DoesNotContain("HOST_IP):", chart.Agent.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void OtlpHeaders_ComeFromTheNamedSecretNeverFromValues()
    {
        RenderedChart chart = RenderedChart.Render("-f", CiPath("explicit-endpoint-values.yaml"));
        YamlMappingNode secret = chart.AgentEnv.Named("NETDROP_OTLP_HEADERS").Map("valueFrom").Map("secretKeyRef");

        Assert.Equal("netdrop-otlp", secret.Str("name"));
        Assert.Equal("headers", secret.Str("key"));
        Assert.Equal(string.Empty, chart.AgentConfig.Map("otlp").Str("headers"));
        Assert.Null(RenderedChart.Render().AgentEnv.Maps().SingleOrDefault(variable => variable.Str("name") == "NETDROP_OTLP_HEADERS"));
    }

    [Theory]
    [MemberData(nameof(CiValues))]
    public void Env_CiValues_ReferencesOnlyVariablesDefinedEarlier(string valuesFile)
    {
        // The kubelet expands $(VAR) only from variables earlier in the list; a later one stays literal text.
        var defined = new HashSet<string>(StringComparer.Ordinal);
        foreach (YamlMappingNode variable in RenderedChart.RenderWithValuesFile(CiPath(valuesFile)).AgentEnv.Maps())
        {
            foreach (Match reference in VariableReference().Matches(variable.StrOrNull("value") ?? string.Empty))
            {
                Assert.Contains(reference.Groups[1].Value, defined);
            }

            defined.Add(variable.Str("name"));
        }
    }

    [Fact]
    public void ResourceAttributes_NameTheNodePodNamespaceAndExtraAttributes()
    {
        RenderedChart chart = RenderedChart.Render("-f", CiPath("explicit-endpoint-values.yaml"));
        string[] attributes = chart.EnvValue("OTEL_RESOURCE_ATTRIBUTES")!.Split(',');

        Assert.Contains("k8s.node.name=$(K8S_NODE_NAME)", attributes);
        Assert.Contains("k8s.pod.name=$(K8S_POD_NAME)", attributes);
        Assert.Contains("k8s.pod.uid=$(K8S_POD_UID)", attributes);
        Assert.Contains("k8s.namespace.name=$(K8S_NAMESPACE)", attributes);
        Assert.Contains("k8s.cluster.name=prod-eu-1", attributes);
        Assert.Equal("spec.nodeName", chart.AgentEnv.Named("K8S_NODE_NAME").Map("valueFrom").Map("fieldRef").Str("fieldPath"));
        Assert.Equal("metadata.uid", chart.AgentEnv.Named("K8S_POD_UID").Map("valueFrom").Map("fieldRef").Str("fieldPath"));
        Assert.Equal("netdrop", chart.EnvValue("OTEL_SERVICE_NAME"));
    }

    [Fact]
    public void PodTemplateLabels_CarryNoChartOrAppVersion()
    {
        RenderedChart chart = RenderedChart.Render();
        YamlMappingNode labels = chart.PodTemplate.Map("metadata").Map("labels");

        Assert.DoesNotContain("helm.sh/chart", labels.Keys());
        Assert.DoesNotContain("app.kubernetes.io/version", labels.Keys());
        Assert.DoesNotContain(labels.Children.Values.Cast<YamlScalarNode>(), value => value.Value!.Contains("0.1.0", StringComparison.Ordinal));
        Assert.Equal("netdrop", labels.Str("app.kubernetes.io/name"));
        // The object itself does carry them.
        Assert.Equal("netdrop-0.1.0", chart.DaemonSet.Map("metadata").Map("labels").Str("helm.sh/chart"));
    }

    [Fact]
    public void ChartOnlyUpgrade_LeavesThePodTemplateUnchanged()
    {
        // A new chart version with the same image and config must not restart the agent on every node.
        string copy = Path.Join(_directory, "netdrop");
        DirectoryTree.Copy(RenderedChart.ChartDirectory, copy);
        string chartYaml = Path.Join(copy, "Chart.yaml");
        File.WriteAllText(chartYaml, File.ReadAllText(chartYaml).Replace("version: 0.1.0", "version: 9.9.9", StringComparison.Ordinal));

        RenderedChart bumped = RenderedChart.RenderChart(copy);
        RenderedChart original = RenderedChart.Render();

        Assert.Equal("netdrop-9.9.9", bumped.DaemonSet.Map("metadata").Map("labels").Str("helm.sh/chart"));
        Assert.Equal(original.PodTemplate.ToString(), bumped.PodTemplate.ToString());
    }

    [Fact]
    public void ConfigChecksum_ChangesWithTheConfigAndOnlyThen()
    {
        static string Checksum(RenderedChart chart) => chart.PodTemplate.Map("metadata").Map("annotations").Str("checksum/config");

        string baseline = Checksum(RenderedChart.Render());

        Assert.Matches("^[0-9a-f]{64}$", baseline);
        Assert.Equal(baseline, Checksum(RenderedChart.Render("--set", "resources.limits.memory=256Mi")));
        Assert.NotEqual(baseline, Checksum(RenderedChart.Render("--set", "config.threshold=500")));
    }

    [Fact]
    public void AgentConfig_HasEveryKeyOfTheExampleNetdropYaml()
    {
        // The chart renders the agent's config file; a key the agent gained (or renamed) must not be left behind.
        YamlMappingNode example = YamlNodes.LoadFile(RepositoryRoot.Combine("netdrop.yaml"));
        YamlMappingNode rendered = RenderedChart.Render().AgentConfig;

        Assert.Equal(KeyPaths(example).Order(StringComparer.Ordinal), KeyPaths(rendered).Order(StringComparer.Ordinal));
        Assert.Equal("/tmp/netdrop.heartbeat", rendered.Str("heartbeat_file"));
        Assert.Equal("never", rendered.Map("console").Str("color"));
    }

    [Theory]
    [MemberData(nameof(CiValues))]
    public void AgentConfig_CiValues_IsAcceptedByTheRealAgent(string valuesFile)
    {
        // What the pod does: netdrop.yaml from the ConfigMap plus the NETDROP_* variables the DaemonSet sets, with
        // $(HOST_IP) expanded as the kubelet would. The agent exits 2 on any key or value it does not accept.
        RenderedChart chart = RenderedChart.RenderWithValuesFile(CiPath(valuesFile));
        string config = Path.Join(_directory, "netdrop.yaml");
        File.WriteAllText(config, chart.AgentConfigMap.Map("data").Str("netdrop.yaml"));
        var environment = chart.AgentEnv.Maps()
            .Where(variable => variable.Str("name").StartsWith("NETDROP_", StringComparison.Ordinal) && variable.Has("value"))
            .ToDictionary(variable => variable.Str("name"), variable => variable.Str("value").Replace("$(HOST_IP)", "10.0.0.7", StringComparison.Ordinal));
        if (chart.AgentEnv.Maps().Any(variable => variable.Str("name") == "NETDROP_OTLP_HEADERS"))
        {
            environment["NETDROP_OTLP_HEADERS"] = "authorization=Bearer test-token";
        }

        ProcessRunner.Result result = ProcessRunner.Run("dotnet", [ProcessRunner.NetDropDll, "config", "show", "--config", config], environment: environment);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("/host/proc", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("test-token", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void AgentConfig_ValuesReachTheRenderedFile()
    {
        YamlMappingNode config = RenderedChart.Render("-f", CiPath("explicit-endpoint-values.yaml")).AgentConfig;

        Assert.Equal(["eth*", "bond*"], config.Seq("interfaces").Strings());
        Assert.Equal("500", config.Str("threshold"));
        Assert.Equal("50", config.Map("thresholds").Str("softirq"));
        Assert.Equal("false", config.Map("ethtool").Str("enabled"));
    }

    [Fact]
    public void Probes_RunTheHealthCommandOnTheConfiguredHeartbeat()
    {
        RenderedChart chart = RenderedChart.Render();
        string heartbeat = chart.AgentConfig.Str("heartbeat_file");

        foreach (string probe in new[] { "livenessProbe", "readinessProbe" })
        {
            string[] command = [.. chart.Agent.Map(probe).Map("exec").Seq("command").Strings()];
            Assert.Equal(["/app/netdrop", "health", "--heartbeat-file", heartbeat, "--max-age", "60"], command);
        }

        Assert.Equal("/tmp", chart.Agent.Seq("volumeMounts").Named("tmp").Str("mountPath"));
    }

    [Fact]
    public void Probes_AreAcceptedByTheRealHealthCommand()
    {
        RenderedChart chart = RenderedChart.Render();
        string[] command = [.. chart.Agent.Map("livenessProbe").Map("exec").Seq("command").Strings()];
        string heartbeat = Path.Join(_directory, "netdrop.heartbeat");
        File.WriteAllText(heartbeat, string.Empty);
        string[] arguments = [.. command.Skip(1).Select(argument => argument == chart.AgentConfig.Str("heartbeat_file") ? heartbeat : argument)];

        Assert.Equal(0, ProcessRunner.NetDrop(arguments).ExitCode);
        File.Delete(heartbeat);
        Assert.Equal(1, ProcessRunner.NetDrop(arguments).ExitCode);
    }

    [Fact]
    public void DaemonSet_ToleratesEveryTaintAndRollsOneNodeAtATime()
    {
        RenderedChart chart = RenderedChart.Render();

        YamlMappingNode toleration = Assert.Single(chart.PodSpec.Seq("tolerations").Maps());
        Assert.Equal("Exists", toleration.Str("operator"));
        Assert.False(toleration.Has("key"));
        Assert.False(toleration.Has("effect"));
        Assert.Equal("linux", chart.PodSpec.Map("nodeSelector").Str("kubernetes.io/os"));
        YamlMappingNode strategy = chart.DaemonSet.Map("spec").Map("updateStrategy");
        Assert.Equal("RollingUpdate", strategy.Str("type"));
        Assert.Equal("1", strategy.Map("rollingUpdate").Str("maxUnavailable"));
    }

    [Fact]
    public void Image_DigestWinsOverTag()
    {
        RenderedChart chart = RenderedChart.Render("-f", CiPath("digest-values.yaml"));

        Assert.Equal("registry.example.com/platform/netdrop@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", chart.Agent.Str("image"));
        Assert.Equal("ghcr.io/netdrop/netdrop:0.1.0", RenderedChart.Render().Agent.Str("image"));
    }

    [Fact]
    public void HelmTest_IsATestHookPodTheDaemonSetCannotAdopt()
    {
        RenderedChart chart = RenderedChart.Render();
        YamlMappingNode pod = Assert.Single(chart.OfKind("Pod"));
        YamlMappingNode selector = chart.DaemonSet.Map("spec").Map("selector").Map("matchLabels");
        YamlMappingNode labels = pod.Map("metadata").Map("labels");

        Assert.Equal("test", pod.Map("metadata").Map("annotations").Str("helm.sh/hook"));
        Assert.False(selector.Keys().All(key => labels.StrOrNull(key) == selector.Str(key)));
        Assert.Equal(["config", "show", "--config", "/etc/netdrop/netdrop.yaml"], pod.Map("spec").Seq("initContainers").Named("config-show").Seq("args").Strings());
        Assert.Contains("--count", pod.Map("spec").Seq("containers").Named("monitor").Seq("args").Strings());
        Assert.Equal("true", pod.Map("spec").Str("hostNetwork"));
        Assert.DoesNotContain(chart.DaemonSet.ToString(), "helm.sh/hook", StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("otlp.endpont=http://x:4317", "endpont")]
    [InlineData("replicas=3", "replicas")]
    [InlineData("csv.maxSizeMb=-1", "maxSizeMb")]
    [InlineData("otlp.protocol=udp", "protocol")]
    [InlineData("config.interval=soon", "interval")]
    [InlineData("image.digest=latest", "digest")]
    [InlineData("podSecurityContext.runAsUsr=1000", "runAsUsr")]
    [InlineData("securityContext.capabilites.drop={ALL}", "capabilites")]
    [InlineData("extraVolumeMount[0].name=x", "extraVolumeMount")]
    [InlineData("comonLabels.team=net", "comonLabels")]
    [InlineData("revisionHistoryLimit=-1", "revisionHistoryLimit")]
    [InlineData("namespaceOverride=Not_A_Namespace", "namespaceOverride")]
    public void ValuesSchema_RejectsUnknownKeysAndBadValues(string set, string named)
    {
        ProcessRunner.Result result = DeployTools.RunHelm("template", RenderedChart.Release, RenderedChart.ChartDirectory, "--set", set);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(named, result.Error, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static string CiPath(string fileName) => Path.Join(RenderedChart.ChartDirectory, "ci", fileName);

    /// <summary>Every mapping key as a dotted path; maps whose keys are data (thresholds) count as one key.</summary>
    private static IEnumerable<string> KeyPaths(YamlMappingNode node, string prefix = "")
    {
        foreach ((YamlNode key, YamlNode value) in node.Children)
        {
            string path = prefix + ((YamlScalarNode)key).Value;
            yield return path;
            if (value is YamlMappingNode { Children.Count: > 0 } child && path != "thresholds")
            {
                foreach (string nested in KeyPaths(child, path + "."))
                {
                    yield return nested;
                }
            }
        }
    }

    [GeneratedRegex(@"\$\(([A-Za-z_][A-Za-z0-9_]*)\)")]
    private static partial Regex VariableReference();
}
