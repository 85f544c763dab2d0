namespace NetDrop.Tests.TestSupport;

internal sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError);
