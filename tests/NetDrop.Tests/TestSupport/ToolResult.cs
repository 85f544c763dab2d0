namespace NetDrop.Tests.TestSupport;

internal sealed record ToolResult(int ExitCode, string StandardOutput, string StandardError);
