using NetDrop.Kernel.Snapshots;

namespace NetDrop.Sources;

/// <summary>
/// Gives each interface name a small integer series id the first time it is seen, so samples and deltas carry ints
/// and the name string is created once per interface, not per sample.
/// </summary>
internal sealed class InterfaceRegistry
{
    private readonly List<InterfaceName> _names = [];
    private readonly List<string> _strings = [];

    public int Count => _names.Count;

    public int GetOrAdd(in InterfaceName name)
    {
        for (int i = 0; i < _names.Count; i++)
        {
            if (_names[i] == name)
            {
                return i;
            }
        }

        _names.Add(name);
        _strings.Add(name.ToString());
        return _names.Count - 1;
    }

    public int GetOrAdd(string name)
    {
        int index = _strings.IndexOf(name);
        if (index >= 0)
        {
            return index;
        }

        _names.Add(InterfaceName.FromString(name));
        _strings.Add(name);
        return _names.Count - 1;
    }

    public string NameOf(int series) => _strings[series];
}
