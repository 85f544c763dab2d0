using System.Runtime.InteropServices;

namespace NetDrop.Sinks.Csv;

/// <summary>
/// The CSV log cannot work at all with this path (its directory is missing, it is a directory, permission is
/// denied, an old file could not be moved aside): a configuration mistake, reported at start. A full or read-only
/// disk is not one of these: the sink keeps going and retries.
/// </summary>
internal sealed class CsvLogException : Exception
{
    public CsvLogException()
    {
    }

    public CsvLogException(string message)
        : base(message)
    {
    }

    public CsvLogException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public CsvLogException(string message, int errno)
        : base($"{message}: {Marshal.GetPInvokeErrorMessage(errno)}")
    {
        Errno = errno;
    }

    /// <summary>The errno the kernel returned, or 0.</summary>
    public int Errno { get; }
}
