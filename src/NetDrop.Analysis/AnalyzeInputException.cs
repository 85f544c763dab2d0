namespace NetDrop.Analysis;

/// <summary>
/// Input that cannot be analysed at all (missing file, not a NetDrop/seed CSV). Its message is the one sentence the
/// operator sees; the command turns it into exit code 2.
/// </summary>
internal sealed class AnalyzeInputException : Exception
{
    public AnalyzeInputException(string message)
        : base(message)
    {
    }

    public AnalyzeInputException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public AnalyzeInputException()
    {
    }
}
