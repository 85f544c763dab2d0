using System.Text;
using NetDrop.Kernel.Snapshots;

namespace NetDrop.Kernel.Sysfs;

/// <summary>
/// Where one interface sits among its devices, from sysfs: its master (the <c>master</c> link that
/// <c>__netdev_adjacent_dev_insert</c> in net/core/dev.c creates for a bond slave, bridge port or VRF member) and its
/// device type (the <c>DEVTYPE=</c> line the driver core writes into <c>uevent</c> from the driver's
/// <c>device_type.name</c>):
/// <code>
/// $ readlink /sys/class/net/eth0/master
/// ../bond0
/// $ cat /sys/class/net/bond0/uevent
/// DEVTYPE=bond
/// INTERFACE=bond0
/// IFINDEX=5
/// $ cat /sys/class/net/bond0/bonding/slaves
/// eth0 eth1
/// </code>
/// The sysfs counterpart of <c>IFLA_MASTER</c> and <c>IFLA_INFO_KIND</c>, so both link sources decide bond folding
/// the same way. Reads allocate nothing once the buffers are sized.
/// </summary>
internal sealed class InterfaceTopology
{
    private readonly byte[] _masterPath; // NUL-terminated UTF-8
    private readonly KernelFile _uevent;
    private readonly KernelFile _bondSlaves;
    private readonly byte[] _link = new byte[256];
    private int _masterLength;
    private byte[] _slaves = new byte[64];
    private int _slavesLength;

    public InterfaceTopology(string sysRoot, string name)
    {
        string master = Path.Join(KernelPaths.Interface(sysRoot, name), "master");
        _masterPath = new byte[Encoding.UTF8.GetByteCount(master) + 1];
        Encoding.UTF8.GetBytes(master, _masterPath);
        _uevent = new KernelFile(Path.Join(KernelPaths.Interface(sysRoot, name), "uevent"), initialCapacity: 256);
        _bondSlaves = new KernelFile(Path.Join(KernelPaths.Interface(sysRoot, name), "bonding/slaves"), initialCapacity: 256);
    }

    /// <summary>The master's name as last read by <see cref="Refresh"/>; empty when the interface has none.</summary>
    public ReadOnlySpan<byte> MasterName => _link.AsSpan(0, _masterLength);

    /// <summary>The interface's own kind as last read by <see cref="Refresh"/>.</summary>
    public LinkKind Kind { get; private set; }

    /// <summary>
    /// For a bond, its slaves' names separated by spaces (drivers/net/bonding/bond_sysfs.c, <c>bonding_show_slaves</c>)
    /// as last read by <see cref="Refresh"/>; empty otherwise.
    /// </summary>
    public ReadOnlySpan<byte> BondSlaves => _slaves.AsSpan(0, _slavesLength);

    /// <summary>Reads the master link and the device type again. A missing file means "no master" / "no type".</summary>
    public unsafe void Refresh()
    {
        nint length;
        fixed (byte* path = _masterPath)
        fixed (byte* link = _link)
        {
            length = Interop.Libc.readlink(path, link, (nuint)_link.Length);
        }

        // The link is relative ("../bond0", or "../../virtual/net/bond0" through /sys/devices): the master is its
        // last component. ENOENT (no master) and any failure leave the interface unenslaved.
        _masterLength = 0;
        if (length > 0 && length < _link.Length)
        {
            ReadOnlySpan<byte> target = _link.AsSpan(0, (int)length);
            int slash = target.LastIndexOf((byte)'/');
            ReadOnlySpan<byte> name = target[(slash + 1)..];
            name.CopyTo(_link);
            _masterLength = name.Length;
        }

        Kind = _uevent.TryRead(out ReadOnlySpan<byte> uevent, out _) ? ParseDevType(uevent) : LinkKind.Other;
        _slavesLength = 0;
        if (Kind == LinkKind.Bond && _bondSlaves.TryRead(out ReadOnlySpan<byte> slaves, out _))
        {
            slaves = slaves.TrimEnd((byte)'\n');
            if (slaves.Length > _slaves.Length)
            {
                _slaves = new byte[slaves.Length];
            }

            slaves.CopyTo(_slaves);
            _slavesLength = slaves.Length;
        }
    }

    internal static LinkKind ParseDevType(ReadOnlySpan<byte> uevent)
    {
        foreach (Range range in uevent.Split((byte)'\n'))
        {
            ReadOnlySpan<byte> line = uevent[range];
            if (line.StartsWith("DEVTYPE="u8))
            {
                return LinkKinds.Parse(line["DEVTYPE="u8.Length..]);
            }
        }

        return LinkKind.Other;
    }
}
