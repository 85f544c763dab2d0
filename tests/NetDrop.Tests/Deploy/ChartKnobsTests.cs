using YamlDotNet.RepresentationModel;

namespace NetDrop.Tests.Deploy;

/// <summary>
/// The chart's knobs that users of the node-exporter and collector charts expect, each rendered by the real helm,
/// and the chart as a dependency of an umbrella chart with <c>global</c> values.
/// </summary>
public sealed class ChartKnobsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("netdrop-knobs-").FullName;

    [Fact]
    public void Image_RegistryPrefixesTheRepositoryAndGlobalImageRegistryWins()
    {
        Assert.Equal("ghcr.io/netdrop/netdrop:0.1.0", RenderedChart.Render().Agent.Str("image"));
        Assert.Equal("mirror.example.com/netdrop/netdrop:0.1.0", RenderedChart.Render("--set", "image.registry=mirror.example.com").Agent.Str("image"));
        Assert.Equal("global.example.com/netdrop/netdrop:0.1.0",
            RenderedChart.Render("--set", "image.registry=mirror.example.com", "--set", "global.imageRegistry=global.example.com").Agent.Str("image"));
        Assert.Equal("netdrop:0.1.0", RenderedChart.Render("--set", "image.registry=", "--set", "image.repository=netdrop").Agent.Str("image"));
        // A repository that starts with a registry host, as before image.registry existed, is not prefixed again.
        Assert.Equal("quay.io/me/netdrop:0.1.0", RenderedChart.Render("--set", "image.repository=quay.io/me/netdrop").Agent.Str("image"));
        Assert.Equal("localhost:5000/netdrop:0.1.0", RenderedChart.Render("--set", "image.repository=localhost:5000/netdrop").Agent.Str("image"));

        // The init container and the test pod run the same image.
        RenderedChart mirrored = RenderedChart.Render("--set", "global.imageRegistry=global.example.com");
        Assert.Equal("global.example.com/netdrop/netdrop:0.1.0", mirrored.PodSpec.Seq("initContainers").Named("prepare-log-dir").Str("image"));
        Assert.Equal("global.example.com/netdrop/netdrop:0.1.0", Assert.Single(mirrored.OfKind("Pod")).Map("spec").Seq("containers").Named("monitor").Str("image"));
    }

    [Fact]
    public void SecurityContexts_OpenShiftOverride_LeavesTheUidToThePlatformAndKeepsTheRest()
    {
        // OpenShift's restricted SCC assigns the uid and rejects a fixed one outside the namespace's range.
        RenderedChart chart = RenderedChart.Render(
            "--set", "podSecurityContext.runAsUser=null", "--set", "podSecurityContext.runAsGroup=null",
            "--set", "securityContext.runAsUser=null", "--set", "securityContext.runAsGroup=null", "--set", "csv.fixOwnership=false");

        YamlMappingNode pod = chart.PodSpec.Map("securityContext");
        YamlMappingNode container = chart.Agent.Map("securityContext");
        Assert.False(pod.Has("runAsUser") || pod.Has("runAsGroup") || container.Has("runAsUser") || container.Has("runAsGroup"));
        Assert.Equal("true", pod.Str("runAsNonRoot"));
        Assert.Equal("true", container.Str("runAsNonRoot"));
        Assert.Equal(["ALL"], container.Map("capabilities").Seq("drop").Strings());
        Assert.Equal("false", container.Str("allowPrivilegeEscalation"));
        Assert.Equal("true", container.Str("readOnlyRootFilesystem"));
        Assert.False(chart.PodSpec.Has("initContainers"));
        YamlMappingNode testPod = Assert.Single(chart.OfKind("Pod")).Map("spec");
        Assert.False(testPod.Map("securityContext").Has("runAsUser"));
        Assert.False(testPod.Seq("containers").Named("monitor").Map("securityContext").Has("runAsUser"));
    }

    [Fact]
    public void SecurityContexts_ValuesReachEveryAgentContainerAndTheInitContainersOwner()
    {
        RenderedChart chart = RenderedChart.Render("--set", "securityContext.runAsUser=2000", "--set", "securityContext.runAsGroup=3000", "--set", "podSecurityContext.fsGroup=3000");

        Assert.Equal("2000", chart.Agent.Map("securityContext").Str("runAsUser"));
        Assert.Equal("3000", chart.PodSpec.Map("securityContext").Str("fsGroup"));
        Assert.Equal("2000:3000", chart.PodSpec.Seq("initContainers").Named("prepare-log-dir").Seq("args").Strings().ElementAt(3));
        Assert.Equal("2000", Assert.Single(chart.OfKind("Pod")).Map("spec").Seq("containers").Named("monitor").Map("securityContext").Str("runAsUser"));
    }

    [Fact]
    public void DropReasons_Enabled_AddsExactlyCapBpfAndCapPerfmonAsUid0AndTheFlag_AndOnlyToTheAgent()
    {
        RenderedChart off = RenderedChart.Render();
        RenderedChart on = RenderedChart.Render("--set", "dropReasons.enabled=true");

        // Off (the default): no capability, non-root, no flag.
        Assert.False(off.Agent.Map("securityContext").Map("capabilities").Has("add"));
        Assert.DoesNotContain("--drop-reasons", off.Agent.Seq("args").Strings());

        // On: CAP_BPF and CAP_PERFMON, nothing else; uid 0 because a non-root container gets no added capability
        // (no ambient capabilities in Kubernetes); every other hardening setting as before.
        YamlMappingNode context = on.Agent.Map("securityContext");
        Assert.Equal(["BPF", "PERFMON"], context.Map("capabilities").Seq("add").Strings());
        Assert.Equal(["ALL"], context.Map("capabilities").Seq("drop").Strings());
        Assert.Equal("0", context.Str("runAsUser"));
        Assert.Equal("false", context.Str("runAsNonRoot"));
        Assert.Equal("1654", context.Str("runAsGroup"));
        Assert.Equal("false", context.Str("allowPrivilegeEscalation"));
        Assert.Equal("false", context.Str("privileged"));
        Assert.Equal("true", context.Str("readOnlyRootFilesystem"));
        Assert.Contains("--drop-reasons", on.Agent.Seq("args").Strings());

        // BTF is read through the /host/sys mount the agent already has: no new volume, no hostPID.
        Assert.Equal(off.Agent.Seq("volumeMounts").Children.Count, on.Agent.Seq("volumeMounts").Children.Count);
        Assert.Equal(off.PodSpec.Seq("volumes").Children.Count, on.PodSpec.Seq("volumes").Children.Count);
        Assert.Equal("false", on.PodSpec.Str("hostPID"));

        // uid 0 without CAP_DAC_OVERRIDE writes the 0755 CSV directory only as its owner.
        Assert.Equal("0:1654", on.PodSpec.Seq("initContainers").Named("prepare-log-dir").Seq("args").Strings().ElementAt(3));

        // The test pod never counts reasons: its containers keep the unprivileged context.
        YamlMappingNode testMonitor = Assert.Single(on.OfKind("Pod")).Map("spec").Seq("containers").Named("monitor");
        Assert.False(testMonitor.Map("securityContext").Map("capabilities").Has("add"));
        Assert.Equal("1654", testMonitor.Map("securityContext").Str("runAsUser"));
    }

    [Fact]
    public void FixOwnership_WithoutAFixedUid_FailsAndSaysWhatToSet()
    {
        ProcessRunner.Result result = DeployTools.RunHelm("template", RenderedChart.Release, RenderedChart.ChartDirectory,
            "--set", "podSecurityContext.runAsUser=null", "--set", "securityContext.runAsUser=null");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("set csv.fixOwnership=false", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void KnobsValues_ExtraArgsEnvFromVolumesLabelsNamespaceAndHistoryRenderWhereTheyBelong()
    {
        RenderedChart chart = RenderedChart.Render("-f", Path.Join(RenderedChart.ChartDirectory, "ci", "knobs-values.yaml"));

        Assert.Equal(["monitor", "--config", "/etc/netdrop/netdrop.yaml", "--sysfs-links"], chart.Agent.Seq("args").Strings());
        Assert.Equal("netdrop-env", Assert.Single(chart.Agent.Seq("envFrom").Maps()).Map("secretRef").Str("name"));
        Assert.Equal("otlp-ca-bundle", chart.PodSpec.Seq("volumes").Named("otlp-ca").Map("configMap").Str("name"));
        YamlMappingNode mount = chart.Agent.Seq("volumeMounts").Named("otlp-ca");
        Assert.Equal("/etc/netdrop/ca", mount.Str("mountPath"));
        Assert.Equal("true", mount.Str("readOnly"));
        Assert.Equal("3", chart.DaemonSet.Map("spec").Str("revisionHistoryLimit"));
        Assert.Equal("mirror.example.com/netdrop/netdrop:0.1.0", chart.Agent.Str("image"));
        Assert.Equal("1654", chart.PodSpec.Map("securityContext").Str("fsGroup"));
        Assert.Equal("1654", chart.PodSpec.Map("securityContext").Str("runAsUser"));

        foreach (YamlMappingNode document in chart.Documents)
        {
            Assert.Equal("monitoring", document.Map("metadata").Str("namespace"));
            Assert.Equal("network", document.Map("metadata").Map("labels").Str("example.com/team"));
        }

        Assert.Equal("network", chart.PodTemplate.Map("metadata").Map("labels").Str("example.com/team"));
        Assert.False(chart.DaemonSet.Map("spec").Map("selector").Map("matchLabels").Has("example.com/team"));
    }

    [Fact]
    public void Defaults_KeepTheReleaseNamespaceTenRevisionsAndNoExtras()
    {
        RenderedChart chart = RenderedChart.Render();

        Assert.All(chart.Documents, document => Assert.Equal(RenderedChart.Namespace, document.Map("metadata").Str("namespace")));
        Assert.Equal("10", chart.DaemonSet.Map("spec").Str("revisionHistoryLimit"));
        Assert.Equal(["monitor", "--config", "/etc/netdrop/netdrop.yaml"], chart.Agent.Seq("args").Strings());
        Assert.False(chart.Agent.Has("envFrom"));
    }

    [Fact]
    public void Affinity_Default_KeepsThePodOffVirtualKubeletAndFargateNodes()
    {
        // The pod tolerates every taint, so the taints virtual nodes carry do not keep it away: the affinity must.
        // NotIn also matches a node without the label, so every real node stays eligible.
        RenderedChart chart = RenderedChart.Render();

        foreach (YamlMappingNode spec in new[] { chart.PodSpec, Assert.Single(chart.OfKind("Pod")).Map("spec") })
        {
            YamlMappingNode term = Assert.Single(spec.Map("affinity").Map("nodeAffinity").Map("requiredDuringSchedulingIgnoredDuringExecution").Seq("nodeSelectorTerms").Maps());
            YamlMappingNode[] expressions = [.. term.Seq("matchExpressions").Maps()];
            Assert.Equal(2, expressions.Length);
            Assert.Equal(("type", "NotIn", "virtual-kubelet"), (expressions[0].Str("key"), expressions[0].Str("operator"), Assert.Single(expressions[0].Seq("values").Strings())));
            Assert.Equal(("eks.amazonaws.com/compute-type", "NotIn", "fargate"), (expressions[1].Str("key"), expressions[1].Str("operator"), Assert.Single(expressions[1].Seq("values").Strings())));
        }
    }

    [Fact]
    public void ChartYaml_NamesItsHomeSourcesAndIcon()
    {
        YamlMappingNode chart = YamlNodes.LoadFile(Path.Join(RenderedChart.ChartDirectory, "Chart.yaml"));

        Assert.StartsWith("https://", chart.Str("home"), StringComparison.Ordinal);
        Assert.StartsWith("https://", Assert.Single(chart.Seq("sources").Strings()), StringComparison.Ordinal);
        Assert.EndsWith("/helm/netdrop/icon.svg", chart.Str("icon"), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Join(RenderedChart.ChartDirectory, "icon.svg")));
    }

    [Fact]
    public void UmbrellaChart_WithGlobalValues_RendersThisChartAsADependency()
    {
        // A platform chart that bundles NetDrop with other charts and sets global values for all of them.
        string umbrella = Path.Join(_directory, "platform");
        Directory.CreateDirectory(umbrella);
        File.WriteAllText(Path.Join(umbrella, "Chart.yaml"), $"""
            apiVersion: v2
            name: platform
            version: 1.0.0
            dependencies:
              - name: netdrop
                version: 0.1.0
                repository: file://{RenderedChart.ChartDirectory}
            """);
        File.WriteAllText(Path.Join(umbrella, "values.yaml"), """
            global:
              imageRegistry: mirror.example.com
              storageClass: fast
            netdrop:
              otlp:
                endpoint: http://gateway.observability:4317
              commonLabels:
                example.com/platform: "true"
            """);

        ProcessRunner.Result dependencies = DeployTools.RunHelm("dependency", "build", umbrella);
        Assert.True(dependencies.ExitCode == 0, dependencies.Output + dependencies.Error);
        RenderedChart chart = RenderedChart.RenderChart(umbrella);

        Assert.Equal("mirror.example.com/netdrop/netdrop:0.1.0", chart.Agent.Str("image"));
        Assert.Equal("http://gateway.observability:4317", chart.EnvValue("NETDROP_OTLP_ENDPOINT"));
        Assert.Equal("true", chart.DaemonSet.Map("metadata").Map("labels").Str("example.com/platform"));

        // The subchart's schema still applies under the umbrella: a typo there fails the umbrella's render.
        ProcessRunner.Result typo = DeployTools.RunHelm("template", "platform", umbrella, "--set", "netdrop.otlp.endpont=http://x:4317");
        Assert.NotEqual(0, typo.ExitCode);
        Assert.Contains("endpont", typo.Error, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
