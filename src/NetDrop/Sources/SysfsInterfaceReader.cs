using System.Text;
using NetDrop.Kernel.Sysfs;

namespace NetDrop.Sources;

/// <summary>The sysfs files of one interface the sysfs link source reads: its counters and its place among devices.</summary>
internal sealed class SysfsInterfaceReader
{
    private byte[] _slavesRead = [];
    private string[] _slaveNames = [];

    public SysfsInterfaceReader(string sysRoot, string name)
    {
        Name = name;
        Statistics = new InterfaceStatistics(sysRoot, name);
        Topology = new InterfaceTopology(sysRoot, name);
    }

    public string Name { get; }

    public InterfaceStatistics Statistics { get; }

    public InterfaceTopology Topology { get; }

    /// <summary>
    /// The names in the bond's <c>bonding/slaves</c> as last refreshed; split again only when the file's bytes change,
    /// so a steady bond costs no allocation.
    /// </summary>
    public string[] BondSlaveNames()
    {
        ReadOnlySpan<byte> slaves = Topology.BondSlaves;
        if (!slaves.SequenceEqual(_slavesRead))
        {
            _slavesRead = slaves.ToArray();
            _slaveNames = Encoding.UTF8.GetString(slaves).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        }

        return _slaveNames;
    }
}
