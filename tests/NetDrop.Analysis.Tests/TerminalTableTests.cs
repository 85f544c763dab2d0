namespace NetDrop.Analysis.Tests;

public class TerminalTableTests
{
    [Fact]
    public void Write_TooWide_WrapsTheWrappableColumnAtSpacesAndKeepsTheWidth()
    {
        var table = new TerminalTable().AddColumn("Name").AddColumn("Drops", rightAligned: true).AddColumn("Text", wrap: true);
        table.AddRow("softirq", "1,234", "the per-CPU backlog was full: raise net.core.netdev_max_backlog and spread receive work");
        var output = new StringWriter();
        table.Write(output, width: 60, color: false);

        string[] lines = output.ToString().TrimEnd('\n').Split('\n');
        Assert.All(lines, line => Assert.Equal(60, line.Length));
        Assert.Equal("│ softirq │ 1,234 │ the per-CPU backlog was full: raise    │", lines[3]);
        Assert.StartsWith("╭─────────┬───────┬─", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("╰", lines[^1], StringComparison.Ordinal);
        Assert.Equal(7, lines.Length);
    }

    [Fact]
    public void Write_Colour_StylesCellsButNotThePadding()
    {
        var table = new TerminalTable().AddColumn("Severity");
        table.AddRow(new TerminalTable.Cell("CRIT", TerminalStyle.Red));
        var output = new StringWriter();
        table.Write(output, width: 80, color: true);

        Assert.Contains("\u001b[1;31mCRIT\u001b[0m    ", output.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("short", 10, new[] { "short" })]
    [InlineData("one two three", 7, new[] { "one two", "three" })]
    [InlineData("averyveryverylongword x", 8, new[] { "averyver", "yverylon", "gword x" })]
    public void Wrap_Text_BreaksAtSpacesOrInsideTooLongWords(string text, int width, string[] expected)
    {
        Assert.Equal(expected, TerminalTable.Wrap(text, width));
    }
}
