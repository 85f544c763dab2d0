using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using NetDrop.Kernel.Snapshots;

namespace NetDrop.Kernel.Sysfs;

/// <summary>
/// Reads one interface's counters from sysfs (net/core/net-sysfs.c): <c>/sys/class/net/IF/ifindex</c> and the
/// 24 files of <c>statistics/</c>, each a decimal number:
/// <code>
/// $ cat /sys/class/net/eth0/statistics/rx_dropped
/// 0
/// </code>
/// One open/read/close per file: the simple, fixture-friendly fallback for the single <c>RTM_GETLINK</c> dump, and
/// exactly what an operator's <c>cat</c> shows. A file missing on an old kernel (<c>rx_nohandler</c> before 4.6)
/// reads as 0.
/// </summary>
internal sealed class InterfaceStatistics
{
    private readonly KernelFile _ifindex;
    private readonly KernelFile[] _statistics;

    public InterfaceStatistics(string sysRoot, string name)
    {
        Name = name;
        _ifindex = new KernelFile(Path.Join(KernelPaths.Interface(sysRoot, name), "ifindex"), initialCapacity: 32);
        _statistics = new KernelFile[InterfaceStatisticNames.InFieldOrder.Length];
        for (int i = 0; i < _statistics.Length; i++)
        {
            _statistics[i] = new KernelFile(
                KernelPaths.InterfaceStatistic(sysRoot, name, InterfaceStatisticNames.InFieldOrder[i]), initialCapacity: 32);
        }
    }

    public string Name { get; }

    /// <summary>
    /// Reads ifindex and every counter. Returns false with the errno when the interface is gone (ENOENT/ENODEV).
    /// </summary>
    public bool TryRead(out int ifIndex, out LinkCounters counters, out int errno)
    {
        counters = default;
        ifIndex = 0;
        if (!_ifindex.TryRead(out ReadOnlySpan<byte> content, out errno))
        {
            return false;
        }

        ifIndex = (int)ParseDecimal(content);
        Span<ulong> fields = MemoryMarshal.CreateSpan(ref Unsafe.As<LinkCounters, ulong>(ref counters), _statistics.Length);
        for (int i = 0; i < _statistics.Length; i++)
        {
            if (_statistics[i].TryRead(out content, out int fieldErrno))
            {
                fields[i] = ParseDecimal(content);
            }
            else if (fieldErrno != Interop.Errno.ENOENT)
            {
                errno = fieldErrno;
                return false;
            }
        }

        return true;
    }

    internal static ulong ParseDecimal(ReadOnlySpan<byte> content) =>
        ulong.TryParse(content.TrimEnd((byte)'\n'), NumberStyles.None, CultureInfo.InvariantCulture, out ulong value) ? value : 0;
}
