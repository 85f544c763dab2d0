using System.Globalization;
using System.Text.RegularExpressions;
using NetDrop.Model;

namespace NetDrop.Tests.Model;

/// <summary>
/// README's column table is the one people read: it must list every CSV column at its position, so a row added to the
/// category table without its line in the README (or a column moved) fails here.
/// </summary>
public sealed partial class ReadmeColumnTableTests
{
    [Fact]
    public void Readme_ColumnTable_ListsEveryCsvColumnAtItsPosition()
    {
        string readme = File.ReadAllText(Path.Join(RepositoryRoot.Path, "README.md"));
        int start = readme.IndexOf("## The CSV", StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md has no '## The CSV' section");
        var listed = new List<(int Position, string Column)>();
        foreach (Match row in TableRow().Matches(readme[start..]))
        {
            listed.Add((int.Parse(row.Groups[1].Value, CultureInfo.InvariantCulture), row.Groups[2].Value));
        }

        Assert.Equal(
            CsvSchema.Default.Columns.Select((column, index) => $"{index + 1} {column}"),
            listed.Select(entry => $"{entry.Position} {entry.Column}"));
    }

    [GeneratedRegex(@"^\| (\d+) \| `([a-z0-9_]+)` \|", RegexOptions.Multiline)]
    private static partial Regex TableRow();
}
