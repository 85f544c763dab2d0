using System.Text;

namespace NetDrop.Sources;

/// <summary>
/// The names of one network namespace's interfaces as strings, made once per name: <c>net/dev</c> is parsed as bytes
/// every sample, and a pod has a handful of interfaces (<c>lo</c>, <c>eth0</c>) whose names never change, so after the
/// first read looking a name up allocates nothing (PERF). Lives as long as the namespace's files.
/// </summary>
internal sealed class PodInterfaceNames
{
    private readonly List<(byte[] Utf8, string Name)> _names = [];

    /// <summary>The string for the UTF-8 interface name <paramref name="utf8"/>, the same instance every time.</summary>
    public string NameOf(ReadOnlySpan<byte> utf8)
    {
        foreach ((byte[] known, string name) in _names)
        {
            if (utf8.SequenceEqual(known))
            {
                return name;
            }
        }

        string added = Encoding.UTF8.GetString(utf8);
        _names.Add((utf8.ToArray(), added));
        return added;
    }
}
