using System.Runtime.InteropServices;
using NetDrop.Kernel;
using NetDrop.Kernel.Ethtool;

namespace NetDrop.Sources;

/// <summary>
/// Adds the driver ring-full counters that <c>rtnl_link_stats64</c> lacks (see <see cref="DriverRingFullCounters"/>:
/// mlx5 <c>rx_discards_phy</c>, ixgbe <c>rx_no_dma_resources</c>, ...) to each interface's <c>nic_missed</c>.
/// </summary>
/// <remarks>
/// PERF: a device whose driver has no such counter (virtio_net, veth, most virtual devices) costs one ethtool read when
/// it is first seen and none after, until its ifindex changes. <c>EOPNOTSUPP</c> (lo, tun) is normal, not a failure.
/// </remarks>
internal sealed class EthtoolRingFullSource : ISampleSource, IDisposable
{
    private readonly EthtoolStatsReader _reader;
    private readonly Dictionary<int, DeviceState> _devices = [];

    public EthtoolRingFullSource()
    {
        _reader = new EthtoolStatsReader();
    }

    public SourceId Id => SourceId.Ethtool;

    public string Description => "ethtool SIOCETHTOOL";

    /// <summary>Runs after the link source: it adds to the interfaces already in the sample.</summary>
    public void Read(Sample sample)
    {
        int? failedErrno = null;
        Span<InterfaceReading> interfaces = CollectionsMarshal.AsSpan(sample.Interfaces);
        for (int i = 0; i < interfaces.Length; i++)
        {
            ref InterfaceReading reading = ref interfaces[i];
            if (!_devices.TryGetValue(reading.Series, out DeviceState? device) || device.IfIndex != reading.IfIndex)
            {
                device = new DeviceState(reading.IfIndex);
                _devices[reading.Series] = device;
            }

            if (device.HasNoRingCounters)
            {
                continue;
            }

            EthtoolReadStatus status = _reader.TryRead(reading.Name, device.Statistics);
            switch (status)
            {
                case EthtoolReadStatus.Ok:
                    if (device.Statistics.SchemaVersion != device.SchemaVersion)
                    {
                        device.Indices = DriverRingFullCounters.SelectRingFullIndices(device.Statistics.Driver, device.Statistics.Names);
                        device.SchemaVersion = device.Statistics.SchemaVersion;
                        device.HasNoRingCounters = device.Indices.Length == 0;
                    }

                    reading.RingFull = DriverRingFullCounters.Sum(device.Statistics.Values, device.Indices);
                    break;
                case EthtoolReadStatus.NotSupported:
                    device.HasNoRingCounters = true;
                    break;
                case EthtoolReadStatus.NoDevice:
                    break; // vanished between the link dump and now; the delta engine reports it next sample
                default:
                    failedErrno = _reader.LastErrno;
                    break;
            }
        }

        // Every device was tried; one that failed fails the source (its ring counters are missing this sample).
        if (failedErrno is int errno)
        {
            throw new KernelSourceException("SIOCETHTOOL", errno);
        }
    }

    public void Dispose() => _reader.Dispose();

    private sealed class DeviceState
    {
        public DeviceState(int ifIndex)
        {
            IfIndex = ifIndex;
        }

        public int IfIndex { get; }

        public EthtoolStatistics Statistics { get; } = new();

        public int[] Indices { get; set; } = [];

        public int SchemaVersion { get; set; } = -1;

        public bool HasNoRingCounters { get; set; }
    }
}
