using System.Diagnostics.CodeAnalysis;

namespace NetDrop.Kernel.Sysfs;

/// <summary>
/// Reads a bond's mode and slaves from sysfs, falling back to procfs. Both take root directories (<c>/sys</c> and
/// <c>/proc</c> in production, a fixture folder in tests). Read at start and when the interface set changes, not per
/// sample, so strings are fine here.
/// <para>
/// <c>SYSROOT/class/net/BOND/bonding/mode</c> (drivers/net/bonding/bond_sysfs.c <c>bonding_show_mode</c>:
/// <c>"%s %d\n"</c>) and <c>.../bonding/slaves</c> (<c>bonding_show_slaves</c>: each name followed by a space, the
/// last space replaced by a newline; empty when there are no slaves; <c>++more++</c> when a page cannot hold them all):
/// </para>
/// <code>
/// 802.3ad 4
/// eth0 eth1
/// </code>
/// <para>
/// <c>PROCROOT/net/bonding/BOND</c> (drivers/net/bonding/bond_procfs.c <c>bond_info_show_master</c> and
/// <c>bond_info_show_slave</c>):
/// </para>
/// <code>
/// Bonding Mode: IEEE 802.3ad Dynamic link aggregation
/// ...
/// Slave Interface: eth0
/// </code>
/// </summary>
internal static class BondingFiles
{
    private const string MoreMarker = "++more++";
    private const string ModePrefix = "Bonding Mode: ";
    private const string SlavePrefix = "Slave Interface: ";

    // bond_options.c bond_mode_tbl (short names, index = BOND_MODE_*) and bond_main.c bond_mode_name (descriptions).
    private static readonly (string Mode, string Description)[] s_modes =
    [
        ("balance-rr", "load balancing (round-robin)"),
        ("active-backup", "fault-tolerance (active-backup)"),
        ("balance-xor", "load balancing (xor)"),
        ("broadcast", "fault-tolerance (broadcast)"),
        ("802.3ad", "IEEE 802.3ad Dynamic link aggregation"),
        ("balance-tlb", "transmit load balancing"),
        ("balance-alb", "adaptive load balancing"),
    ];

    /// <summary>True when <paramref name="name"/> is a bonding master: it has a sysfs <c>bonding/</c> directory or a procfs bonding file.</summary>
    public static bool IsBond(string sysRoot, string procRoot, string name) =>
        IsPlainName(name) &&
        (Directory.Exists(Path.Join(sysRoot, "class/net", name, "bonding")) ||
         File.Exists(Path.Join(procRoot, "net/bonding", name)));

    /// <summary>
    /// Reads <paramref name="bond"/>'s mode and slaves: sysfs first, <c>/proc/net/bonding/BOND</c> when sysfs is
    /// missing or unreadable (or truncated the slave list with <c>++more++</c>). False when neither describes a bond.
    /// </summary>
    public static bool TryRead(string sysRoot, string procRoot, string bond, [NotNullWhen(true)] out BondInfo? info)
    {
        info = null;
        if (!IsPlainName(bond))
        {
            return false;
        }

        string bondingDirectory = Path.Join(sysRoot, "class/net", bond, "bonding");
        ProcBonding proc = default;
        bool procRead = false;
        if (TryReadText(Path.Join(bondingDirectory, "mode"), out string? modeText) &&
            TryParseSysfsMode(modeText, out string? mode) &&
            TryReadText(Path.Join(bondingDirectory, "slaves"), out string? slavesText))
        {
            string[] slaves = ParseSysfsSlaves(slavesText, out bool truncated);
            if (truncated && (procRead = TryReadProc(procRoot, bond, out proc)))
            {
                slaves = proc.Slaves;
            }

            info = new BondInfo(bond, mode, DescribeMode(mode), slaves);
            return true;
        }

        if (procRead || TryReadProc(procRoot, bond, out proc))
        {
            info = new BondInfo(bond, proc.Mode, proc.Description, proc.Slaves);
            return true;
        }

        return false;
    }

    /// <summary>The short mode name of a sysfs <c>bonding/mode</c> file (<c>"802.3ad 4\n"</c> gives <c>802.3ad</c>).</summary>
    public static bool TryParseSysfsMode(string content, [NotNullWhen(true)] out string? mode)
    {
        ArgumentNullException.ThrowIfNull(content);
        string[] fields = content.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
        mode = fields.Length > 0 ? fields[0] : null;
        return mode is not null;
    }

    /// <summary>The names of a sysfs <c>bonding/slaves</c> file; <paramref name="truncated"/> when the kernel wrote <c>++more++</c>.</summary>
    public static string[] ParseSysfsSlaves(string content, out bool truncated)
    {
        ArgumentNullException.ThrowIfNull(content);
        string[] names = content.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
        truncated = Array.IndexOf(names, MoreMarker) >= 0;
        return truncated ? Array.FindAll(names, static n => n != MoreMarker) : names;
    }

    /// <summary>
    /// Mode, description and slaves of a <c>/proc/net/bonding/BOND</c> file. The mode line may carry a
    /// <c>" (fail_over_mac ...)"</c> suffix in active-backup mode; descriptions themselves contain parentheses
    /// ("load balancing (round-robin)"), so the description is matched against the kernel's table by prefix.
    /// </summary>
    public static bool TryParseProcBonding(string content, [NotNullWhen(true)] out string? mode, [NotNullWhen(true)] out string? description, [NotNullWhen(true)] out string[]? slaves)
    {
        ArgumentNullException.ThrowIfNull(content);
        mode = null;
        description = null;
        slaves = null;
        var names = new List<string>();
        foreach (string rawLine in content.Split('\n'))
        {
            string line = rawLine.TrimEnd('\r');
            if (description is null && line.StartsWith(ModePrefix, StringComparison.Ordinal))
            {
                string text = line[ModePrefix.Length..];
                (mode, description) = MatchDescription(text);
            }
            else if (line.StartsWith(SlavePrefix, StringComparison.Ordinal))
            {
                names.Add(line[SlavePrefix.Length..].Trim());
            }
        }

        if (mode is null || description is null)
        {
            return false;
        }

        slaves = [.. names];
        return true;
    }

    /// <summary>The /proc/net/bonding description of a short mode name; <c>unknown</c> (as the kernel prints) otherwise.</summary>
    public static string DescribeMode(string mode)
    {
        foreach ((string name, string description) in s_modes)
        {
            if (name == mode)
            {
                return description;
            }
        }

        return "unknown";
    }

    private static (string Mode, string Description) MatchDescription(string text)
    {
        foreach ((string name, string description) in s_modes)
        {
            if (text.StartsWith(description, StringComparison.Ordinal))
            {
                return (name, description);
            }
        }

        return ("unknown", text.Trim());
    }

    private static bool TryReadProc(string procRoot, string bond, out ProcBonding proc)
    {
        proc = default;
        if (!TryReadText(Path.Join(procRoot, "net/bonding", bond), out string? content) ||
            !TryParseProcBonding(content, out string? mode, out string? description, out string[]? slaves))
        {
            return false;
        }

        proc = new ProcBonding(mode, description, slaves);
        return true;
    }

    private static bool TryReadText(string path, [NotNullWhen(true)] out string? content)
    {
        try
        {
            content = File.ReadAllText(path);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            content = null;
            return false;
        }
    }

    // A name from configuration is joined into a path: keep it one path component.
    private static bool IsPlainName(string name) =>
        !string.IsNullOrEmpty(name) && name != "." && name != ".." && name.IndexOfAny(['/', '\0']) < 0;

    private readonly record struct ProcBonding(string Mode, string Description, string[] Slaves);
}
