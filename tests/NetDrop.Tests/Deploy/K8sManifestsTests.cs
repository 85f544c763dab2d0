using YamlDotNet.RepresentationModel;

namespace NetDrop.Tests.Deploy;

/// <summary>k8s/: the plain manifests are the chart's own output, and they pass the Kubernetes schemas.</summary>
public sealed class K8sManifestsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("netdrop-k8s-").FullName;

    [Fact]
    public void NetdropYaml_IsByteIdenticalToTheChartsDefaultRender()
    {
        RenderedChart rendered = RenderedChart.Render("--skip-tests");

        string committed = File.ReadAllText(RepositoryRoot.Combine("k8s", "netdrop.yaml"));

        Assert.True(committed == rendered.Text, "k8s/netdrop.yaml is stale: run eng/render-k8s.sh and commit the result");
    }

    [Fact]
    public void NetdropYaml_HoldsTheAgentWithoutTheHelmTestPod()
    {
        IReadOnlyList<YamlMappingNode> documents = YamlNodes.LoadDocuments(File.ReadAllText(RepositoryRoot.Combine("k8s", "netdrop.yaml")));

        Assert.Equal(["ServiceAccount", "ConfigMap", "DaemonSet"], documents.Select(document => document.Str("kind")));
        Assert.All(documents, document => Assert.Equal("netdrop", document.Map("metadata").Str("namespace")));
    }

    [Fact]
    public void Manifests_AreValidAgainstTheKubernetesSchemas()
    {
        ProcessRunner.Result result = DeployTools.Validate(RepositoryRoot.Combine("k8s", "namespace.yaml"), RepositoryRoot.Combine("k8s", "netdrop.yaml"));

        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        Assert.Contains("4 documents, 0 problems", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Namespace_EnforcesPrivilegedAndWarnsBelowRestricted()
    {
        YamlMappingNode labels = YamlNodes.LoadFile(RepositoryRoot.Combine("k8s", "namespace.yaml")).Map("metadata").Map("labels");

        Assert.Equal("privileged", labels.Str("pod-security.kubernetes.io/enforce"));
        Assert.Equal("restricted", labels.Str("pod-security.kubernetes.io/warn"));
    }

    [Fact]
    public void Validator_RejectsAnUnknownFieldAWrongTypeAndAnUnknownKind()
    {
        // The checker itself must be able to fail: a DaemonSet with a misspelt field and a wrong type, and a kind
        // it has no schema for.
        string manifest = File.ReadAllText(RepositoryRoot.Combine("k8s", "netdrop.yaml"))
            .Replace("readOnlyRootFilesystem: true", "readOnlyRootFileSystem: true", StringComparison.Ordinal)
            .Replace("hostNetwork: true", "hostNetwork: \"yes\"", StringComparison.Ordinal)
            + "---\napiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n";
        string path = Path.Join(_directory, "broken.yaml");
        File.WriteAllText(path, manifest);

        ProcessRunner.Result result = DeployTools.Validate(path);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("'\"readOnlyRootFileSystem\"' does not exist in type 'ISecurityContext'", result.Output, StringComparison.Ordinal);
        Assert.Contains("/spec/template/spec/hostNetwork must be boolean", result.Output, StringComparison.Ordinal);
        Assert.Contains("no schema for example.com/v1/Widget", result.Output, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
