namespace NetDrop.Configuration;

/// <summary>Bad input from the user: reported as one sentence on stderr with exit code 2, never a stack trace.</summary>
internal sealed class UsageException : Exception
{
    public UsageException()
    {
    }

    public UsageException(string message)
        : base(message)
    {
    }

    public UsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
