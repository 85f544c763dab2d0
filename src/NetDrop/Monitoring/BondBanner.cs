using NetDrop.Sampling;

namespace NetDrop.Monitoring;

/// <summary>The seed's start-up lines for a bond: "Bond Mode: 802.3ad (LACP)" and "Bond Slaves: eth0 eth1".</summary>
internal static class BondBanner
{
    public static IEnumerable<string> Lines(string sysRoot, string procRoot, Sample baseline, InterfaceRegistry registry)
    {
        foreach (InterfaceReading master in baseline.Interfaces)
        {
            string name = registry.NameOf(master.Series);
            string modeFile = Path.Join(sysRoot, "class/net", name, "bonding/mode");
            if (!File.Exists(modeFile))
            {
                continue;
            }

            string[] slaves = [.. baseline.Interfaces.Where(slave => slave.MasterIfIndex == master.IfIndex).Select(slave => registry.NameOf(slave.Series))];
            yield return $"Bond:            {name}";
            yield return $"Bond Mode:       {File.ReadAllText(modeFile).Trim()}";
            yield return $"Bond Slaves:     {(slaves.Length > 0 ? string.Join(' ', slaves) : "(none)")}";
        }
    }
}
