using System.CommandLine;
using NetDrop.Commands;

var root = new RootCommand("NetDrop: where a Linux host drops packets, layer by layer.")
{
    AnalyzeCommand.Create(),
};

ParseResult parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    // DESIGN.md: usage errors exit 2 (System.CommandLine's own parse-error action would exit 1).
    foreach (System.CommandLine.Parsing.ParseError error in parsed.Errors)
    {
        Console.Error.WriteLine($"netdrop: {error.Message}");
    }

    return 2;
}

return await parsed.InvokeAsync().ConfigureAwait(false);
