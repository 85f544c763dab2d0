namespace NetDrop.Kernel.Bpf;

/// <summary>
/// Drop reasons cannot be counted on this host; <see cref="Exception.Message"/> is one sentence naming what is
/// missing (privilege, tracepoint, BTF and tracefs, a format not understood), fit for a user.
/// </summary>
public sealed class DropReasonsUnavailableException : Exception
{
    public DropReasonsUnavailableException()
    {
    }

    public DropReasonsUnavailableException(string message)
        : base(message)
    {
    }

    public DropReasonsUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public DropReasonsUnavailableException(DropReasonsMissing missing, string message, int errno = 0)
        : base(message)
    {
        Missing = missing;
        Errno = errno;
    }

    /// <summary>What is missing.</summary>
    public DropReasonsMissing Missing { get; }

    /// <summary>The errno behind the refusal, or 0 when it was a file's content.</summary>
    public int Errno { get; }
}
