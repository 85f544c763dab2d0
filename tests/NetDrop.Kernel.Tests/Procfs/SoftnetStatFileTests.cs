using System.Globalization;
using System.Text;
using NetDrop.Kernel.Procfs;
using NetDrop.Kernel.Tests.TestSupport;

namespace NetDrop.Kernel.Tests.Procfs;

public class SoftnetStatFileTests
{
    [Fact]
    public void Parse_CapturedKernel_ReadsEveryCpuWithItsId()
    {
        string path = Fixtures.KernelFile(Fixtures.CapturedKernel, "proc/net/softnet_stat");
        var file = new SoftnetStatFile(path);

        Assert.True(file.TryRead(out _));

        string[] lines = File.ReadAllLines(path);
        Assert.Equal(lines.Length, file.Count);
        for (int i = 0; i < lines.Length; i++)
        {
            string[] columns = lines[i].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(15, columns.Length); // this 6.18 kernel prints 15 columns
            Assert.Equal(uint.Parse(columns[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture), file.Cpus[i].Dropped);
            Assert.Equal(uint.Parse(columns[2], NumberStyles.HexNumber, CultureInfo.InvariantCulture), file.Cpus[i].TimeSqueeze);
            Assert.Equal(int.Parse(columns[12], NumberStyles.HexNumber, CultureInfo.InvariantCulture), file.Cpus[i].Cpu);
        }
    }

    [Theory]
    [InlineData(9)]   // 2.6.32-era: processed dropped time_squeeze 0 0 0 0 0 cpu_collision
    [InlineData(10)]  // + received_rps
    [InlineData(11)]  // + flow_limit_count
    [InlineData(13)]  // + softnet_backlog_len, cpu index
    [InlineData(15)]  // + input_qlen, process_qlen
    public void Parse_EveryKernelColumnCount_ReadsDroppedAndSqueeze(int columns)
    {
        string content = Row(columns, processed: 0x1234, dropped: 0x56, squeeze: 0x7, cpu: 3) + Row(columns, 1, 2, 3, cpu: 5);
        var file = new SoftnetStatFile("/nonexistent");

        file.Parse(Encoding.ASCII.GetBytes(content));

        Assert.Equal(2, file.Count);
        Assert.Equal(0x56u, file.Cpus[0].Dropped);
        Assert.Equal(0x7u, file.Cpus[0].TimeSqueeze);
        Assert.Equal(0x1234u, file.Cpus[0].Processed);
        // Without column 13 the row number is all there is; with it, offline CPUs can leave gaps.
        Assert.Equal(columns >= 13 ? 3 : 0, file.Cpus[0].Cpu);
        Assert.Equal(columns >= 13 ? 5 : 1, file.Cpus[1].Cpu);
    }

    [Fact]
    public void Parse_MaximumHexValue_ReadsUInt32Max()
    {
        var file = new SoftnetStatFile("/nonexistent");

        file.Parse(Encoding.ASCII.GetBytes(Row(13, 0xffffffff, 0xffffffff, 0xfffffffe, cpu: 0)));

        Assert.Equal(uint.MaxValue, file.Cpus[0].Dropped);
        Assert.Equal(0xfffffffeu, file.Cpus[0].TimeSqueeze);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\n")]
    [InlineData("0000000a 00000001\n")]              // too few columns
    [InlineData("zzzzzzzz 00000001 00000002\n")]     // not hex
    public void Parse_MalformedLines_AreSkipped(string content)
    {
        var file = new SoftnetStatFile("/nonexistent");

        file.Parse(Encoding.ASCII.GetBytes(content));

        Assert.Equal(0, file.Count);
    }

    [Fact]
    public void Parse_ManyCpus_GrowsWithoutLosingRows()
    {
        var rows = new StringBuilder();
        for (int cpu = 0; cpu < 300; cpu++)
        {
            rows.Append(Row(13, 1, (uint)cpu, 0, cpu));
        }

        var file = new SoftnetStatFile("/nonexistent");
        file.Parse(Encoding.ASCII.GetBytes(rows.ToString()));

        Assert.Equal(300, file.Count);
        Assert.Equal(299u, file.Cpus[299].Dropped);
    }

    [Fact]
    public void Parse_SteadyState_AllocatesNothing()
    {
        byte[] content = File.ReadAllBytes(Fixtures.KernelFile(Fixtures.CapturedKernel, "proc/net/softnet_stat"));
        var file = new SoftnetStatFile("/nonexistent");
        Assert.Equal(0, Allocations.PerCalls(() => file.Parse(content)));
    }

    private static string Row(int columns, uint processed, uint dropped, uint squeeze, int cpu)
    {
        var values = new uint[columns];
        values[0] = processed;
        values[1] = dropped;
        values[2] = squeeze;
        if (columns >= 13)
        {
            values[12] = (uint)cpu;
        }

        return string.Join(' ', values.Select(value => value.ToString("x8", CultureInfo.InvariantCulture))) + "\n";
    }
}
