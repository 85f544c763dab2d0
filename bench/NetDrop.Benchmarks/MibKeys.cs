using NetDrop.Kernel.Procfs;

namespace NetDrop.Benchmarks;

/// <summary>The counters MibSource registers, so a bare MibFile or Snmp6File does the agent's work.</summary>
internal static class MibKeys
{
    public static MibFile Netstat(string path)
    {
        var file = new MibFile(path);
        foreach (string name in (string[])["TCPReqQFullDrop", "ListenOverflows", "ListenDrops", "RcvPruned", "OfoPruned", "TCPRcvCollapsed",
                     "TCPBacklogDrop", "TCPRcvQDrop", "TCPZeroWindowDrop", "TCPOFODrop", "PruneCalled", "TCPReqQFullDoCookies"])
        {
            file.Register(new MibKey("TcpExt", name));
        }

        return file;
    }

    public static MibFile Snmp(string path)
    {
        var file = new MibFile(path);
        foreach (string name in (string[])["RcvbufErrors", "SndbufErrors", "MemErrors", "InCsumErrors"])
        {
            file.Register(new MibKey("Udp", name));
        }

        return file;
    }

    public static Snmp6File Snmp6(string path)
    {
        var file = new Snmp6File(path);
        foreach (string name in (string[])["Udp6RcvbufErrors", "Udp6SndbufErrors", "Udp6MemErrors", "Udp6InCsumErrors"])
        {
            file.Register(name);
        }

        return file;
    }
}
