using System.Text;

namespace NetDrop.Analysis;

/// <summary>
/// Interface cells seen so far, as small ids. Rows repeat the same interface, so a reader asks with the raw bytes and
/// only a new name is decoded to a string.
/// </summary>
internal sealed class InterfaceTable
{
    private readonly List<string> _names = [];
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);

    public int Count => _names.Count;

    public string NameOf(int id) => _names[id];

    public int GetOrAdd(ReadOnlySpan<byte> utf8Name) => GetOrAdd(Encoding.UTF8.GetString(utf8Name));

    public int GetOrAdd(string name)
    {
        if (!_ids.TryGetValue(name, out int id))
        {
            id = _names.Count;
            _names.Add(name);
            _ids.Add(name, id);
        }

        return id;
    }
}
