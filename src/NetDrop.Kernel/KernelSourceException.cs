using System.Runtime.InteropServices;

namespace NetDrop.Kernel;

/// <summary>
/// A kernel source could not be read: the operation and errno say why (ENOENT on an old kernel, EACCES without
/// the mount, EOPNOTSUPP where a driver has no statistics). Thrown only at a source's boundary, never mid-parse.
/// </summary>
public sealed class KernelSourceException : Exception
{
    public KernelSourceException()
    {
    }

    public KernelSourceException(string message)
        : base(message)
    {
    }

    public KernelSourceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public KernelSourceException(string operation, int errno)
        : base($"{operation} failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})")
    {
        Operation = operation;
        Errno = errno;
    }

    /// <summary>What was attempted, e.g. <c>open /proc/net/snmp6</c> or <c>SIOCETHTOOL GSTATS eth0</c>.</summary>
    public string Operation { get; } = "";

    /// <summary>The errno the kernel returned, or 0 when the failure was a malformed reply.</summary>
    public int Errno { get; }
}
