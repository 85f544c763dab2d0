using NetDrop.Kernel.Procfs;

namespace NetDrop.Tests.TestSupport;

/// <summary>
/// Reads named MIB counters of one network namespace with NetDrop's own <see cref="MibFile"/>, the reader the agent
/// uses: <c>Ip:</c>/<c>Icmp:</c>/<c>Udp:</c> groups from <c>/proc/net/snmp</c>, <c>TcpExt:</c>/<c>IpExt:</c> from
/// <c>/proc/net/netstat</c>. It opens <c>/proc/thread-self/net/*</c> on a thread inside the namespace:
/// <c>/proc/net</c> is <c>/proc/self/net</c>, the namespace of the process's main thread, not of the calling thread.
/// </summary>
internal static class NamespaceMib
{
    /// <summary>Keys are <c>Group:Name</c> (<c>Ip:InHdrErrors</c>, <c>TcpExt:IPReversePathFilter</c>).</summary>
    public static IReadOnlyDictionary<string, long> Read(NetworkNamespace networkNamespace, params string[] keys) =>
        networkNamespace.Run(() =>
        {
            var netstat = new MibFile("/proc/thread-self/net/netstat");
            var snmp = new MibFile("/proc/thread-self/net/snmp");
            var handles = new List<(string Key, MibFile File, int Handle)>();
            foreach (string key in keys)
            {
                string[] parts = key.Split(':');
                MibFile file = parts[0] is "TcpExt" or "IpExt" or "MPTcpExt" or "TlsExt" ? netstat : snmp;
                handles.Add((key, file, file.Register(new MibKey(parts[0], parts[1]))));
            }

            foreach (MibFile file in new[] { netstat, snmp })
            {
                if (!file.TryRead(out int errno))
                {
                    throw new InvalidOperationException($"Reading {file.Path} in {networkNamespace.Name} failed with errno {errno}.");
                }
            }

            var values = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach ((string key, MibFile file, int handle) in handles)
            {
                values[key] = file.TryGetValue(handle, out ulong value)
                    ? checked((long)value)
                    : throw new KeyNotFoundException($"This kernel's MIB files have no well-formed '{key}'.");
            }

            return values;
        });
}
