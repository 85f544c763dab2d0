using NetDrop.Kernel.Sysfs;
using NetDrop.Sources;

namespace NetDrop.Agent;

/// <summary>The seed's start-up lines for a bond: "Bond Mode: 802.3ad (LACP)" and "Bond Slaves: eth0 eth1".</summary>
internal static class BondBanner
{
    public static IEnumerable<string> Lines(string sysRoot, string procRoot, Sample baseline, InterfaceRegistry registry)
    {
        foreach (InterfaceReading reading in baseline.Interfaces)
        {
            string name = registry.NameOf(reading.Series);
            if (reading.FoldsIntoMaster || !BondingFiles.TryRead(sysRoot, procRoot, name, out BondInfo? bond))
            {
                continue;
            }

            yield return $"Bond:            {bond.Name}";
            yield return $"Bond Mode:       {bond.Mode} ({bond.ModeDescription})";
            yield return $"Bond Slaves:     {(bond.Slaves.Length > 0 ? string.Join(' ', bond.Slaves) : "(none)")}";
        }
    }
}
