using System.Text;
using NetDrop.Model;

namespace NetDrop.Analysis;

/// <summary>
/// The meaning of each column of one input file, learned from its header by name, so the seed's 16-column file,
/// NetDrop's wider one and a future file with more columns are all read correctly:
/// <code>
/// timestamp,iteration,interface,total_drops,nic_rx,...,udp_sndbuf,severity[,tcp_backlog,...,interval_s,unavailable,...]
/// </code>
/// </summary>
internal sealed class CsvColumnMap
{
    private CsvColumnMap(CsvColumnRole[] roles, int[] categoryIds, string[] names, CsvInputLayout layout)
    {
        Roles = roles;
        CategoryIds = categoryIds;
        Names = names;
        Layout = layout;

        var present = new List<int>();
        var ignored = new List<string>();
        for (int i = 0; i < roles.Length; i++)
        {
            if (roles[i] == CsvColumnRole.Category)
            {
                present.Add(categoryIds[i]);
            }
            else if (roles[i] == CsvColumnRole.Ignored)
            {
                ignored.Add(names[i]);
            }
        }

        PresentCategoryIds = [.. present];
        IgnoredColumns = ignored;
    }

    /// <summary>The seed's sixteen columns: the header a seed file has and the fields every file starts with.</summary>
    public const int SeedColumnCount = 5 + DropCategoryTable.SeedCount;

    public CsvColumnRole[] Roles { get; }

    /// <summary>For <see cref="CsvColumnRole.Category"/> columns, the <see cref="DropCategory.Id"/>; -1 otherwise.</summary>
    public int[] CategoryIds { get; }

    public string[] Names { get; }

    public CsvInputLayout Layout { get; }

    public int ColumnCount => Roles.Length;

    /// <summary>The categories this file has a column for, in column order.</summary>
    public int[] PresentCategoryIds { get; }

    /// <summary>Columns no role was found for, by name.</summary>
    public IReadOnlyList<string> IgnoredColumns { get; }

    /// <summary>
    /// Maps a header line. Returns <c>null</c> and the first missing seed column when the header lacks one of the
    /// sixteen every NetDrop/seed file has.
    /// </summary>
    public static CsvColumnMap? FromHeader(IReadOnlyList<string> header, CsvSchema schema, out string? missingColumn)
    {
        var roles = new CsvColumnRole[header.Count];
        int[] categoryIds = new int[header.Count];
        string[] names = new string[header.Count];
        for (int i = 0; i < header.Count; i++)
        {
            string name = header[i].Trim();
            names[i] = name;
            categoryIds[i] = -1;
            roles[i] = RoleOf(name, schema.Table, out categoryIds[i]);
        }

        // A duplicated name keeps its first column, so a file can never count a category twice.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < names.Length; i++)
        {
            if (!seen.Add(names[i]))
            {
                roles[i] = CsvColumnRole.Ignored;
                categoryIds[i] = -1;
            }
        }

        foreach (string required in schema.Columns.AsSpan(0, SeedColumnCount))
        {
            if (!seen.Contains(required))
            {
                missingColumn = required;
                return null;
            }
        }

        missingColumn = null;
        CsvInputLayout layout = header.Count == SeedColumnCount ? CsvInputLayout.SeedHeader : CsvInputLayout.NetDropHeader;
        return new CsvColumnMap(roles, categoryIds, names, layout);
    }

    /// <summary>
    /// The columns assumed for a file without a header line whose first row has <paramref name="fieldCount"/> fields:
    /// this version's own columns when the count matches them exactly, else the seed's sixteen followed by columns
    /// read past.
    /// </summary>
    public static CsvColumnMap ForHeaderless(int fieldCount, CsvSchema schema)
    {
        bool own = fieldCount == schema.Columns.Length;
        var header = new List<string>(fieldCount);
        for (int i = 0; i < fieldCount; i++)
        {
            header.Add(own || i < SeedColumnCount
                ? schema.Columns[i]
                : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"column {i + 1}"));
        }

        var roles = new CsvColumnRole[fieldCount];
        int[] categoryIds = new int[fieldCount];
        for (int i = 0; i < fieldCount; i++)
        {
            roles[i] = own || i < SeedColumnCount ? RoleOf(header[i], schema.Table, out categoryIds[i]) : CsvColumnRole.Ignored;
            if (roles[i] != CsvColumnRole.Category)
            {
                categoryIds[i] = -1;
            }
        }

        return new CsvColumnMap(roles, categoryIds, [.. header], own ? CsvInputLayout.HeaderlessNetDrop : CsvInputLayout.HeaderlessSeed);
    }

    /// <summary>Whether a line is a header line rather than data: it names the first seed column.</summary>
    public static bool LooksLikeHeader(ReadOnlySpan<byte> line) =>
        line.StartsWith(s_timestampColumnUtf8) && (line.Length == s_timestampColumnUtf8.Length
            || line[s_timestampColumnUtf8.Length] == (byte)',' || line[s_timestampColumnUtf8.Length] == (byte)'\r');

    private static readonly byte[] s_timestampColumnUtf8 = Encoding.UTF8.GetBytes(CsvSchema.Timestamp);

    private static CsvColumnRole RoleOf(string name, DropCategoryTable table, out int categoryId)
    {
        categoryId = -1;
        switch (name)
        {
            case CsvSchema.Timestamp:
                return CsvColumnRole.Timestamp;
            case CsvSchema.Iteration:
                return CsvColumnRole.Iteration;
            case CsvSchema.Interface:
                return CsvColumnRole.Interface;
            case CsvSchema.TotalDrops:
                return CsvColumnRole.TotalDrops;
            case CsvSchema.Severity:
                return CsvColumnRole.Severity;
            case CsvSchema.IntervalSeconds:
                return CsvColumnRole.IntervalSeconds;
            case CsvSchema.Unavailable:
                return CsvColumnRole.Unavailable;
            default:
                DropCategory? category = table.Find(name);
                if (category is null)
                {
                    return CsvColumnRole.Ignored;
                }

                categoryId = category.Id;
                return CsvColumnRole.Category;
        }
    }
}
