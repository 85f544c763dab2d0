namespace NetDrop.Analysis;

/// <summary>
/// <c>--interface</c>: whether a row's interface cell is wanted, decided once per distinct cell (the reader hands out
/// interface ids, so a month of rows costs one list lookup each).
/// </summary>
internal sealed class InterfaceFilter
{
    private readonly IReadOnlyList<string> _wanted;
    private readonly InterfaceTable _interfaces;
    private readonly List<bool?> _kept = [];

    public InterfaceFilter(IReadOnlyList<string> wanted, InterfaceTable interfaces)
    {
        _wanted = wanted;
        _interfaces = interfaces;
    }

    public bool Keeps(int interfaceId)
    {
        if (_wanted.Count == 0)
        {
            return true;
        }

        while (_kept.Count <= interfaceId)
        {
            _kept.Add(null);
        }

        return _kept[interfaceId] ??= Matches(_interfaces.NameOf(interfaceId), _wanted);
    }

    /// <summary>
    /// <c>--interface eth0</c> keeps rows of <c>eth0</c> and rows where eth0 was summed with others (<c>eth0+eth1</c>):
    /// those rows hold eth0's drops too, and dropping them would hide them.
    /// </summary>
    internal static bool Matches(string cell, IReadOnlyList<string> wanted)
    {
        foreach (string name in wanted)
        {
            if (cell == name)
            {
                return true;
            }

            foreach (string member in cell.Split('+'))
            {
                if (member == name)
                {
                    return true;
                }
            }
        }

        return false;
    }
}
