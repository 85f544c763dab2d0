using System.Globalization;
using NetDrop.Monitoring;

namespace NetDrop.Commands;

/// <summary>
/// Turns command-line text into values with one-sentence errors that name the flag and the bad value
/// (System.CommandLine's own type errors name CLR types, which helps nobody at 3 a.m.).
/// </summary>
internal static class CommandLineValues
{
    public static TimeSpan ParseInterval(string text, string source)
    {
        if (!double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double seconds) ||
            seconds < MonitorOptions.MinimumIntervalSeconds || seconds > MonitorOptions.MaximumIntervalSeconds)
        {
            throw new UsageException(string.Create(CultureInfo.InvariantCulture,
                $"{source} '{text}' is not a number of seconds between {MonitorOptions.MinimumIntervalSeconds} and {MonitorOptions.MaximumIntervalSeconds} (e.g. 5 or 0.5)"));
        }

        return TimeSpan.FromSeconds(seconds);
    }

    public static long ParsePositive(string text, string source)
    {
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long value) || value < 1)
        {
            throw new UsageException($"{source} '{text}' is not a whole number of 1 or more");
        }

        return value;
    }

    public static int ParseCount(string text, string source)
    {
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value))
        {
            throw new UsageException($"{source} '{text}' is not a whole number (0 runs until stopped)");
        }

        return value;
    }
}
