namespace NetDrop.Kernel.Snapshots;

/// <summary>Maps the kernel's kind strings (<c>IFLA_INFO_KIND</c>, uevent <c>DEVTYPE</c>) onto <see cref="LinkKind"/>.</summary>
internal static class LinkKinds
{
    /// <summary>Classifies a kind string; a trailing NUL (as <c>IFLA_INFO_KIND</c> carries it) is ignored.</summary>
    public static LinkKind Parse(ReadOnlySpan<byte> kind)
    {
        int nul = kind.IndexOf((byte)0);
        if (nul >= 0)
        {
            kind = kind[..nul];
        }

        return kind switch
        {
            _ when kind.SequenceEqual("bond"u8) => LinkKind.Bond,
            _ when kind.SequenceEqual("team"u8) => LinkKind.Team,
            _ when kind.SequenceEqual("bridge"u8) => LinkKind.Bridge,
            _ when kind.SequenceEqual("vrf"u8) => LinkKind.Vrf,
            _ when kind.SequenceEqual("openvswitch"u8) => LinkKind.OpenVSwitch,
            _ => LinkKind.Other,
        };
    }

    /// <summary>
    /// True for the one kind whose link counters already include its slaves': a bond (<c>bond_get_stats</c> folds
    /// every slave's <c>dev_get_stats()</c> in). A team, bridge, VRF or Open vSwitch master does not, so its ports'
    /// drops are their own and must be counted on the ports.
    /// </summary>
    public static bool FoldsSlaveCounters(LinkKind kind) => kind == LinkKind.Bond;
}
