using System.Globalization;

namespace NetDrop.Kernel.Bpf;

/// <summary>
/// Reads tracefs <c>events/skb/kfree_skb/format</c>, written by kernel/trace/trace_events.c (<c>f_show</c>) from the
/// <c>TRACE_EVENT(kfree_skb, ...)</c> in include/trace/events/skb.h:
/// <code>
/// ID: 2310
///     field:enum skb_drop_reason reason;	offset:36;	size:4;	signed:0;
/// print fmt: "... reason: %s", ..., __print_symbolic(REC->reason, { 2, "NOT_SPECIFIED" }, { 3, "NO_SOCKET" }, ...)
/// </code>
/// The <c>field:</c> line says where the program loads the reason from; the <c>__print_symbolic</c> table (expanded
/// from <c>DEFINE_DROP_REASON</c>) names every value, so no kernel-version table is compiled in.
/// </summary>
public static class TracepointFormatFile
{
    /// <summary>The format file below a tracefs mount.</summary>
    public const string RelativePath = "events/skb/kfree_skb/format";

    private const string SymbolicPrefix = "__print_symbolic(REC->reason,";

    /// <summary>Parses the format file's text; <paramref name="path"/> only names it in errors and in the result.</summary>
    /// <exception cref="DropReasonsUnavailableException">No reason field (a kernel before drop reasons), or a format not understood.</exception>
    public static DropReasonSource Parse(string content, string path)
    {
        int id = -1;
        int offset = -1;
        int size = -1;
        string? symbolic = null;
        foreach (string rawLine in content.Split('\n'))
        {
            string line = rawLine.Trim();
            if (line.StartsWith("ID:", StringComparison.Ordinal))
            {
                id = ParseInt(line["ID:".Length..].Trim(), path, "ID");
            }
            else if (line.StartsWith("field:", StringComparison.Ordinal) && IsReasonField(line))
            {
                offset = ParseInt(ValueAfter(line, "offset:", path), path, "offset");
                size = ParseInt(ValueAfter(line, "size:", path), path, "size");
            }
            else if (line.StartsWith("print fmt:", StringComparison.Ordinal))
            {
                int at = line.IndexOf(SymbolicPrefix, StringComparison.Ordinal);
                symbolic = at < 0 ? null : line[(at + SymbolicPrefix.Length)..];
            }
        }

        if (offset < 0)
        {
            throw new DropReasonsUnavailableException(DropReasonsMissing.Tracepoint,
                $"The kfree_skb tracepoint in {path} has no 'reason' field (a kernel before 5.17 records no drop reasons).");
        }

        if (id <= 0)
        {
            throw Malformed(path, "no 'ID:' line");
        }

        // NOTE: the program loads the field with one BPF_LDX of this size; enum skb_drop_reason is an unsigned int.
        if (size is not (1 or 2 or 4 or 8) || offset % size != 0)
        {
            throw Malformed(path, $"the reason field has size {size} at offset {offset}, which is not one aligned load");
        }

        if (symbolic is null)
        {
            throw Malformed(path, "its print fmt has no __print_symbolic(REC->reason, ...) table");
        }

        return new DropReasonSource(ParseSymbols(symbolic, path), IsRawTracepoint: false, offset, size, id);
    }

    /// <summary>Reads <see cref="RelativePath"/> below <paramref name="tracefsRoot"/> and parses it.</summary>
    public static DropReasonSource Read(string tracefsRoot)
    {
        string path = Path.Join(tracefsRoot, RelativePath);
        string content;
        try
        {
            content = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new DropReasonsUnavailableException(DropReasonsMissing.Tracepoint,
                $"The kernel has no skb:kfree_skb tracepoint ({path} does not exist).", Interop.Errno.ENOENT);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DropReasonsUnavailableException(DropReasonsMissing.Privilege,
                $"{path} cannot be read ({e.Message}): tracefs needs root or a readable mount.", Interop.Errno.EACCES);
        }

        return Parse(content, path);
    }

    private static bool IsReasonField(string line)
    {
        // "field:enum skb_drop_reason reason;" — the declaration's last word is the field's name.
        int semicolon = line.IndexOf(';', StringComparison.Ordinal);
        return semicolon > 0 && line.AsSpan(0, semicolon).EndsWith(" reason", StringComparison.Ordinal);
    }

    private static string ValueAfter(string line, string key, string path)
    {
        int at = line.IndexOf(key, StringComparison.Ordinal);
        int end = at < 0 ? -1 : line.IndexOf(';', at);
        if (end < 0)
        {
            throw Malformed(path, $"the reason field has no '{key}'");
        }

        return line[(at + key.Length)..end];
    }

    private static DropReasonNames ParseSymbols(string table, string path)
    {
        // { 2, "NOT_SPECIFIED" }, { 3, "NO_SOCKET" }, ... ) — the table ends at the first ')' outside an entry.
        var pairs = new List<(int Value, string Name)>();
        int position = 0;
        while (true)
        {
            while (position < table.Length && table[position] is ' ' or ',')
            {
                position++;
            }

            if (position >= table.Length)
            {
                throw Malformed(path, "its __print_symbolic table is not closed");
            }

            if (table[position] == ')')
            {
                break;
            }

            int close = table.IndexOf('}', position);
            if (close < 0)
            {
                throw Malformed(path, $"its __print_symbolic table is cut off at '{table[position..]}'");
            }

            if (table[position] != '{')
            {
                throw Malformed(path, $"its __print_symbolic table has '{table[position]}' where an entry '{{ N, \"NAME\" }}' should start");
            }

            string[] parts = table[(position + 1)..close].Split(',', 2, StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || parts[1].Length < 3 || parts[1][0] != '"' || parts[1][^1] != '"')
            {
                throw Malformed(path, $"its __print_symbolic entry '{table[position..(close + 1)]}' is not '{{ N, \"NAME\" }}'");
            }

            int value = ParseInt(parts[0], path, "a reason value");
            pairs.Add((value, parts[1][1..^1]));
            position = close + 1;
        }

        return DropReasonNamesBuilder.Build(pairs, path);
    }

    private static int ParseInt(string text, string path, string what)
    {
        // A reason table beyond 64 Ki values is not a table this program can index; refuse it as malformed.
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value > DropReasonNamesBuilder.MaxValue)
        {
            throw Malformed(path, $"{what} '{text}' is not a number up to {DropReasonNamesBuilder.MaxValue}");
        }

        return value;
    }

    private static DropReasonsUnavailableException Malformed(string path, string what) =>
        new(DropReasonsMissing.Format, $"The tracepoint format {path} is not understood: {what}.");
}
