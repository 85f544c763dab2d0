using System.CommandLine;
using NetDrop.Configuration;

namespace NetDrop.Cli;

/// <summary><c>netdrop config show</c>: the effective configuration and where each value came from.</summary>
internal static class ConfigCommand
{
    private static readonly Option<string> s_config = new("--config", "-c")
    {
        Description = "YAML configuration file to read, as the monitor would.",
    };

    public static Command Create()
    {
        var show = new Command("show", """
            Print the effective configuration — defaults, then the file, then NETDROP_* environment variables — with
            the origin of every value and secrets redacted. The output is valid YAML that --config accepts.

            Example:
              netdrop config show --config /etc/netdrop/netdrop.yaml
            """);
        show.Options.Add(s_config);
        show.SetAction(result =>
        {
            NetDropConfiguration configuration = NetDropConfiguration.Load(result.GetValue(s_config), Environment.GetEnvironmentVariables(), []);
            configuration.Bind(); // a bad value fails here too, with the same message the monitor would give
            Console.Out.Write(ConfigRenderer.Render(configuration));
            return 0;
        });

        return new Command("config", "Inspect NetDrop's configuration.") { show };
    }
}
