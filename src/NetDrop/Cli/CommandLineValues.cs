using System.Globalization;
using NetDrop.Configuration;

namespace NetDrop.Cli;

/// <summary>
/// Run options that are not configuration (only <c>--count</c>), parsed with a one-sentence error naming the flag
/// and the bad value (System.CommandLine's own type errors name CLR types, which helps nobody at 3 a.m.).
/// </summary>
internal static class CommandLineValues
{
    public static int ParseCount(string text, string source)
    {
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value))
        {
            throw new UsageException($"{source} '{text}' is not a whole number (0 runs until stopped)");
        }

        return value;
    }
}
