using System.CommandLine;
using System.Globalization;
using NetDrop.Configuration;

namespace NetDrop.Cli;

/// <summary>
/// <c>netdrop health --heartbeat-file PATH [--max-age SECONDS]</c>: exit 0 when the running agent touched its
/// heartbeat file recently, 1 when it did not. It is the DaemonSet's exec probe: the image has no shell, and an
/// HTTP probe would have to open a port on the host's network (the pod runs with <c>hostNetwork: true</c>).
/// </summary>
internal static class HealthCommand
{
    /// <summary>Twelve default 5 s intervals: a stalled sampler is caught within a minute, a slow node is not flapped.</summary>
    public const double DefaultMaxAgeSeconds = 60;

    private const double MaximumMaxAgeSeconds = 86_400;

    private static readonly Option<string> s_heartbeatFile = new("--heartbeat-file")
    {
        Description = "The file the agent touches after every sample (heartbeat_file in netdrop.yaml).",
        Required = true,
    };

    private static readonly Option<string> s_maxAge = new("--max-age")
    {
        Description = string.Create(CultureInfo.InvariantCulture, $"Seconds since the last touch beyond which the agent counts as stalled; fractions allowed. Default: {DefaultMaxAgeSeconds}."),
    };

    /// <summary>The <c>health</c> subcommand.</summary>
    public static Command Create()
    {
        var command = new Command("health", """
            Exit 0 if the agent completed a sample recently (its heartbeat file is fresh), else print why and exit 1.
            For a Kubernetes exec probe or a systemd/cron check; run it where the agent's heartbeat file is visible.

            Examples:
              netdrop health --heartbeat-file /tmp/netdrop.heartbeat
              netdrop health --heartbeat-file /run/netdrop/heartbeat --max-age 30
            """);
        command.Options.Add(s_heartbeatFile);
        command.Options.Add(s_maxAge);
        command.SetAction((ParseResult result, CancellationToken cancellationToken) =>
        {
            string path = result.GetValue(s_heartbeatFile)!;
            TimeSpan maxAge = result.GetValue(s_maxAge) is { } text
                ? ParseMaxAge(text)
                : TimeSpan.FromSeconds(DefaultMaxAgeSeconds);
            return Task.FromResult(Check(path, maxAge, TimeProvider.System.GetUtcNow(), System.Console.Out));
        });
        return command;
    }

    /// <summary>Compares the heartbeat's modification time with <paramref name="now"/> and reports the verdict.</summary>
    public static int Check(string heartbeatFile, TimeSpan maxAge, DateTimeOffset now, TextWriter output)
    {
        var file = new FileInfo(heartbeatFile);
        if (!file.Exists)
        {
            output.WriteLine($"netdrop: unhealthy: no heartbeat file '{heartbeatFile}' (the agent has not completed a sample, or heartbeat_file is not set)");
            return ExitCodes.RuntimeFailure;
        }

        // A heartbeat from the future (clock stepped back) counts as fresh: the agent is evidently running.
        TimeSpan age = now - new DateTimeOffset(file.LastWriteTimeUtc, TimeSpan.Zero);
        double ageSeconds = Math.Max(0, age.TotalSeconds);
        if (age > maxAge)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"netdrop: unhealthy: last sample {ageSeconds:0.0} s ago, more than {maxAge.TotalSeconds:0.###} s ('{heartbeatFile}')"));
            return ExitCodes.RuntimeFailure;
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"netdrop: healthy: last sample {ageSeconds:0.0} s ago"));
        return ExitCodes.Ok;
    }

    private static TimeSpan ParseMaxAge(string text)
    {
        if (!double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double seconds) ||
            seconds <= 0 || seconds > MaximumMaxAgeSeconds)
        {
            throw new UsageException(string.Create(CultureInfo.InvariantCulture,
                $"--max-age '{text}' is not a number of seconds above 0 and at most {MaximumMaxAgeSeconds} (e.g. 60 or 2.5)"));
        }

        return TimeSpan.FromSeconds(seconds);
    }
}
