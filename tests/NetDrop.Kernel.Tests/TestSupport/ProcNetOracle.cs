using System.Globalization;

namespace NetDrop.Kernel.Tests.TestSupport;

/// <summary>
/// A deliberately naive second reading of MIB files (string splits, no schema cache) that the fast parsers are
/// checked against, so a golden value is never just the parser's own output.
/// </summary>
internal static class ProcNetOracle
{
    public static ulong MibValue(string path, string group, string name)
    {
        string[] lines = File.ReadAllLines(path);
        for (int i = 0; i + 1 < lines.Length; i += 2)
        {
            string[] names = lines[i].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            string[] values = lines[i + 1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (names[0] == group + ":")
            {
                int index = Array.IndexOf(names, name);
                return ulong.Parse(values[index], CultureInfo.InvariantCulture);
            }
        }

        throw new KeyNotFoundException($"{group}: {name} not in {path}");
    }

    public static ulong Snmp6Value(string path, string name)
    {
        foreach (string line in File.ReadAllLines(path))
        {
            string[] parts = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2 && parts[0] == name)
            {
                return ulong.Parse(parts[1], CultureInfo.InvariantCulture);
            }
        }

        throw new KeyNotFoundException($"{name} not in {path}");
    }
}
