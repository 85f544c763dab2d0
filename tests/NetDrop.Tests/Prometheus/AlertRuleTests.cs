using NetDrop.Tests.Deploy;

namespace NetDrop.Tests.Prometheus;

/// <summary>
/// <c>promtool test rules</c> over the shipped rule file with the series shapes the agent produces: born at 0, reset by
/// a restart within one series, a new interface's series appearing mid-run.
/// </summary>
public sealed class AlertRuleTests
{
    [Fact]
    public void PrometheusRules_PassTheirPromtoolUnitTests()
    {
        ProcessRunner.Result result = ProcessRunner.Run(
            DeployTools.Promtool, ["test", "rules", RepositoryRoot.Combine("k8s", "alerting", "prometheus-rules.test.yaml")], TimeSpan.FromSeconds(60));

        Assert.True(result.ExitCode == 0, $"promtool test rules failed:\n{result.Output}\n{result.Error}");
        Assert.Contains("SUCCESS", result.Output + result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void PromtoolTestRules_FailsWhenAnExpectedAlertDoesNotFire()
    {
        // The control: the same file with one expectation inverted must fail, or the test above proves nothing.
        string broken = Path.Join(Path.GetTempPath(), $"netdrop-rules-{Guid.NewGuid():N}");
        Directory.CreateDirectory(broken);
        try
        {
            File.Copy(RepositoryRoot.Combine("k8s", "alerting", "prometheus-rules.yaml"), Path.Join(broken, "prometheus-rules.yaml"));
            string tests = File.ReadAllText(RepositoryRoot.Combine("k8s", "alerting", "prometheus-rules.test.yaml"));
            File.WriteAllText(Path.Join(broken, "prometheus-rules.test.yaml"), tests.Replace("'0 0 0 1 1 1 1 1 1 1 1'", "'0 0 0 0 0 0 0 0 0 0 0'", StringComparison.Ordinal));

            ProcessRunner.Result result = ProcessRunner.Run(
                DeployTools.Promtool, ["test", "rules", Path.Join(broken, "prometheus-rules.test.yaml")], TimeSpan.FromSeconds(60));
            Assert.NotEqual(0, result.ExitCode);
        }
        finally
        {
            Directory.Delete(broken, recursive: true);
        }
    }
}
