using System.Text;
using NetDrop.Kernel.Procfs;
using NetDrop.Kernel.Tests.TestSupport;

namespace NetDrop.Kernel.Tests.Procfs;

public class SysctlIntegerFileTests
{
    [Theory]
    [InlineData("nf_conntrack_max", 262144UL)]
    [InlineData("nf_conntrack_count", 0UL)]
    public void TryRead_CapturedConntrackSysctls_Read(string name, ulong expected)
    {
        var file = new SysctlIntegerFile(Fixtures.KernelFile(Fixtures.CapturedKernel, Path.Join("proc/sys/net/netfilter", name)));

        Assert.True(file.TryRead(out ulong value, out _));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n")]
    [InlineData("262144")]     // cut off before its newline
    [InlineData("-1\n")]       // proc_dointvec can print a negative int: not a count
    [InlineData("262144\r\n")]
    [InlineData("262144\n\n")]
    [InlineData("26\u00002144\n")]
    [InlineData("1 2\n")]
    public void TryParse_AnythingButDigitsAndNewline_IsRefused(string content)
    {
        Assert.False(SysctlIntegerFile.TryParse(Encoding.Latin1.GetBytes(content), out _));
    }

    [Fact]
    public void TryRead_Garbled_ReturnsEbadmsg()
    {
        using TemporaryRoot root = Fixtures.Temporary(("sys/net/netfilter/nf_conntrack_max", "abc\n"));
        var file = new SysctlIntegerFile(root.PathOf("sys/net/netfilter/nf_conntrack_max"));

        Assert.False(file.TryRead(out _, out int errno));
        Assert.Equal(Interop.Errno.EBADMSG, errno);
    }

    [Fact]
    public void TryRead_NoConntrack_ReturnsEnoent()
    {
        var file = new SysctlIntegerFile("/proc/sys/net/netfilter/nf_conntrack_count-absent");

        Assert.False(file.TryRead(out _, out int errno));
        Assert.Equal(Interop.Errno.ENOENT, errno);
    }

    [Fact]
    public void TryRead_SteadyState_AllocatesNothing()
    {
        string path = Fixtures.KernelFile(Fixtures.CapturedKernel, "proc/sys/net/netfilter/nf_conntrack_max");
        var file = new SysctlIntegerFile(path);
        Assert.Equal(0, Allocations.PerCalls(() => file.TryRead(out _, out _)));
    }
}
