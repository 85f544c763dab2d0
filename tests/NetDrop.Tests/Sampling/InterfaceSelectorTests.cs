using NetDrop.Sources;

namespace NetDrop.Tests.Sampling;

public class InterfaceSelectorTests
{
    [Theory]
    [InlineData("eth0", "eth0", true)]
    [InlineData("eth0", "eth0.100", false)]
    [InlineData("eth0", "eth01", false)]
    [InlineData("eth*", "eth0.100", true)]
    [InlineData("ens?f0", "ens1f0", true)]
    [InlineData("ens?f0", "ens10f0", false)]
    [InlineData("bond[0-2]", "bond1", true)]
    [InlineData("bond[0-2]", "bond3", false)]
    [InlineData("veth[!a]*", "vethb1", true)]
    [InlineData("*", "lo", true)]
    public void GlobMatch_ShellSemantics(string pattern, string name, bool expected) =>
        Assert.Equal(expected, InterfaceSelector.GlobMatch(pattern, name));

    [Fact]
    public void Matches_ExcludeWinsOverInclude()
    {
        var selector = new InterfaceSelector(["*"], ["lo", "veth*"]);

        Assert.True(selector.Matches("eth0"));
        Assert.False(selector.Matches("lo"));
        Assert.False(selector.Matches("veth12ab"));
    }
}
