using System.Collections;
namespace NetDrop.Configuration;

/// <summary>
/// Reads <c>NETDROP_*</c> environment variables: the key path in capitals with <c>_</c> for <c>.</c>
/// (<c>NETDROP_CSV_PATH</c>, <c>NETDROP_THRESHOLDS_SOFTIRQ</c>); lists are comma-separated
/// (<c>NETDROP_INTERFACES=eth0,eth1</c>). A <c>NETDROP_</c> variable that matches no key is an error, like a typo in
/// the file.
/// </summary>
internal static class EnvironmentConfigReader
{
    public static IReadOnlyList<ConfigEntry> Read(IDictionary environment)
    {
        var byName = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (ConfigKey key in ConfigKeys.All.Concat(ConfigKeys.CategoryThresholds))
        {
            byName[key.EnvironmentName] = key.Path;
        }

        var entries = new List<ConfigEntry>();
        foreach (DictionaryEntry variable in environment)
        {
            string name = (string)variable.Key;
            if (!name.StartsWith(ConfigKeys.EnvironmentPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            if (!byName.TryGetValue(name, out string? path))
            {
                throw new UsageException($"environment variable {name} matches no configuration key (see netdrop.yaml for the keys)");
            }

            string value = (string?)variable.Value ?? "";
            IReadOnlyList<string>? items = ConfigKeys.Find(path) is ListKey
                ? value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                : null;
            entries.Add(new ConfigEntry(path, value, items, "environment " + name));
        }

        return entries;
    }
}
