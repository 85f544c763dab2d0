using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using NetDrop.Kernel.Procfs;
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
/// reads as 0. A file whose text is not what net-sysfs prints (<c>netstat_show</c> formats <c>"%llu\n"</c>,
/// <c>ifindex_show</c> <c>"%d\n"</c>) fails the whole read with <c>EBADMSG</c>: one unreadable counter must never
/// read as 0 (the next good read would count everything since boot), and a garbled ifindex must never look like a
/// re-created interface.
/// </summary>
internal sealed class InterfaceStatistics
{
    private const int AttributeMaxLength = 4096;

    private readonly KernelFile _ifindex;
    private readonly KernelFile[] _statistics;

    public InterfaceStatistics(string sysRoot, string name)
    {
        Name = name;
        // A sysfs attribute is at most one page (fs/sysfs/file.c: sysfs_kf_seq_show formats into a PAGE_SIZE buffer),
        // so anything longer (a device swapped in) is cut off there.
        _ifindex = new KernelFile(Path.Join(KernelPaths.Interface(sysRoot, name), "ifindex"), initialCapacity: 32, maxLength: AttributeMaxLength);
        _statistics = new KernelFile[InterfaceStatisticNames.InFieldOrder.Length];
        for (int i = 0; i < _statistics.Length; i++)
        {
            _statistics[i] = new KernelFile(
                KernelPaths.InterfaceStatistic(sysRoot, name, InterfaceStatisticNames.InFieldOrder[i]), initialCapacity: 32, maxLength: AttributeMaxLength);
        }
    }

    public string Name { get; }

    /// <summary>
    /// Reads ifindex and every counter. Returns false with the errno when the interface is gone (ENOENT/ENODEV), or
    /// with <c>EBADMSG</c> when a file's text is not a well-formed number; nothing read is then to be used.
    /// </summary>
    public bool TryRead(out int ifIndex, out LinkCounters counters, out int errno)
    {
        counters = default;
        ifIndex = 0;
        if (!_ifindex.TryRead(out ReadOnlySpan<byte> content, out errno))
        {
            return false;
        }

        if (!TryParseIfIndex(content, out ifIndex))
        {
            errno = Interop.Errno.EBADMSG;
            return false;
        }

        Span<ulong> fields = MemoryMarshal.CreateSpan(ref Unsafe.As<LinkCounters, ulong>(ref counters), _statistics.Length);
        for (int i = 0; i < _statistics.Length; i++)
        {
            if (_statistics[i].TryRead(out content, out int fieldErrno))
            {
                if (!TryParseDecimal(content, out fields[i]))
                {
                    (ifIndex, counters, errno) = (0, default, Interop.Errno.EBADMSG);
                    return false;
                }
            }
            else if (fieldErrno != Interop.Errno.ENOENT)
            {
                errno = fieldErrno;
                return false;
            }
        }

        return true;
    }

    /// <summary>A sysfs counter: decimal digits and the newline <c>"%llu\n"</c> ends with, nothing else.</summary>
    internal static bool TryParseDecimal(ReadOnlySpan<byte> content, out ulong value)
    {
        value = 0;
        return content.Length >= 2 && content[^1] == (byte)'\n' && KernelNumbers.TryParseDecimal(content[..^1], out value);
    }

    /// <summary>An ifindex: as <see cref="TryParseDecimal"/>, and positive (dev_new_index() never hands out 0).</summary>
    internal static bool TryParseIfIndex(ReadOnlySpan<byte> content, out int ifIndex)
    {
        bool parsed = TryParseDecimal(content, out ulong value) && value is > 0 and <= int.MaxValue;
        ifIndex = parsed ? (int)value : 0;
        return parsed;
    }
}
