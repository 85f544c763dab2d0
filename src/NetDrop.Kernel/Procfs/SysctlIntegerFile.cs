namespace NetDrop.Kernel.Procfs;

/// <summary>
/// Reads one whole-number sysctl on the sampling path, such as <c>/proc/sys/net/netfilter/nf_conntrack_count</c>
/// (the namespace's conntrack entries) and <c>nf_conntrack_max</c> (the table's limit):
/// <code>
/// 262144
/// </code>
/// proc_dointvec and its variants (kernel/sysctl.c, <c>proc_put_long</c>) print the value in decimal and end it with
/// <c>\n</c>. A value the kernel never prints this way (negative, empty, cut off, CRLF, garbage) is a parse failure
/// (<c>EBADMSG</c>), never 0; a missing file (<c>ENOENT</c>: conntrack not loaded) is told apart by its errno.
/// </summary>
/// <remarks>
/// PERF: the file is opened once and re-read with pread (see <see cref="KernelFile"/>); no string is made.
/// The live advice reads settings as text through <c>ILiveSettings</c>, which is fine once per CRIT but not per sample.
/// </remarks>
internal sealed class SysctlIntegerFile
{
    private readonly KernelFile _file;

    public SysctlIntegerFile(string path)
    {
        _file = new KernelFile(path, initialCapacity: 64, maxLength: 4096);
    }

    public string Path => _file.Path;

    /// <summary>Reads the value; false with the errno when it cannot be read, or with <c>EBADMSG</c> when it does not parse.</summary>
    public bool TryRead(out ulong value, out int errno)
    {
        value = 0;
        if (!_file.TryRead(out ReadOnlySpan<byte> content, out errno))
        {
            return false;
        }

        if (!TryParse(content, out value))
        {
            errno = Interop.Errno.EBADMSG;
            return false;
        }

        return true;
    }

    /// <summary>Digits then exactly one <c>\n</c>, nothing else.</summary>
    public static bool TryParse(ReadOnlySpan<byte> content, out ulong value)
    {
        value = 0;
        return content.Length >= 2 && content[^1] == (byte)'\n' &&
            KernelNumbers.TryParseDecimal(content[..^1], out value);
    }
}
