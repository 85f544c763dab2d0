using System.Text;

namespace NetDrop.Sinks.Telemetry;

/// <summary>
/// A <c>service.instance.id</c> that stays the same across restarts of the agent on one node, so a restart does not
/// start new metric series (and a counter born at its first increment) in every backend.
/// </summary>
/// <remarks>
/// Semantic conventions (service.instance.id): SDKs generate a random UUID, "but are free to use an inherent unique ID
/// as the source of this value if stability is desirable. In that case, the ID SHOULD be used as source of a UUID
/// Version 5 and SHOULD use the following UUID as the namespace: 4d63009a-8d0f-11ee-aad7-4c796ed8e320", and the source
/// itself is treated as confidential (hence a hash, not the machine id). The inherent id is, first found:
/// <c>k8s.node.name</c> from <c>OTEL_RESOURCE_ATTRIBUTES</c> (one DaemonSet pod per node; with <c>k8s.namespace.name</c>
/// and <c>k8s.daemonset.name</c> when given, so two releases on one node differ), the host's
/// <c>/etc/machine-id</c> (a plain host), or the host name. The interfaces asked for are part of the name, so the
/// per-interface units (<c>netdrop@eth0</c>, <c>netdrop@eth1</c>) on one host are distinct instances.
/// An explicit <c>service.instance.id</c> in <c>OTEL_RESOURCE_ATTRIBUTES</c> still wins (the resource detector for
/// that variable runs last).
/// </remarks>
internal static class ServiceInstanceId
{
    /// <summary>The OpenTelemetry namespace for version-5 service instance ids.</summary>
    public static readonly Guid OpenTelemetryNamespace = new("4d63009a-8d0f-11ee-aad7-4c796ed8e320");

    public static string Create(string? resourceAttributes, string machineIdPath, string hostName, IReadOnlyList<string> interfaces)
    {
        Dictionary<string, string> attributes = Parse(resourceAttributes);
        string identity = attributes.TryGetValue("k8s.node.name", out string? node) ? Kubernetes(node, attributes)
            : MachineId(machineIdPath) is string machineId ? "machine-id=" + machineId
            : "host.name=" + hostName;
        string name = interfaces.Count == 0 ? identity : identity + "\ninterfaces=" + string.Join(',', interfaces);
        return Version5(OpenTelemetryNamespace, name).ToString();
    }

    /// <summary>RFC 9562 section 5.5: SHA-1 of the namespace's bytes (network order) and the name's UTF-8 bytes.</summary>
    public static Guid Version5(Guid namespaceId, string name)
    {
        byte[] nameBytes = Encoding.UTF8.GetBytes(name);
        byte[] input = new byte[16 + nameBytes.Length];
        namespaceId.TryWriteBytes(input, bigEndian: true, out _);
        nameBytes.CopyTo(input, 16);
        byte[] hash = Sha1.Hash(input); // not OpenSSL's: see Sha1
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50); // version 5
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80); // variant 10xx
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }

    // One DaemonSet pod per node, but two releases of the chart (two namespaces or names) on one node are two instances.
    private static string Kubernetes(string node, Dictionary<string, string> attributes)
    {
        string identity = "k8s.node.name=" + node;
        foreach (string key in (ReadOnlySpan<string>)["k8s.namespace.name", "k8s.daemonset.name"])
        {
            if (attributes.TryGetValue(key, out string? value))
            {
                identity += "\n" + key + "=" + value;
            }
        }

        return identity;
    }

    // OTEL_RESOURCE_ATTRIBUTES is key=value pairs separated by commas, values percent-encoded.
    private static Dictionary<string, string> Parse(string? resourceAttributes)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string pair in (resourceAttributes ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            int equals = pair.IndexOf('=', StringComparison.Ordinal);
            string value = equals > 0 ? Uri.UnescapeDataString(pair[(equals + 1)..].Trim()) : "";
            if (value.Length > 0)
            {
                attributes[pair[..equals].Trim()] = value;
            }
        }

        return attributes;
    }

    // machine-id(5): "a single newline-terminated, hexadecimal, 32-character, lowercase ID"; empty in some images.
    private static string? MachineId(string path)
    {
        try
        {
            string text = File.ReadAllText(path).Trim();
            return text.Length == 32 && text.All(char.IsAsciiHexDigit) ? text : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
