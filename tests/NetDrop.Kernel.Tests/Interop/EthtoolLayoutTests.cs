using System.Diagnostics;
using System.Globalization;
using NetDrop.Kernel.Ethtool;

namespace NetDrop.Kernel.Tests.InteropLayout;

/// <summary>
/// The ethtool interop structs against include/uapi/linux/ethtool.h and include/uapi/linux/if.h: the expected numbers
/// are written out from the headers, and a C program compiled here against this machine's kernel headers
/// (linux-libc-dev) prints them again, so a wrong offset cannot hide.
/// </summary>
public unsafe class EthtoolLayoutTests
{
    [Fact]
    public void IfReq_Layout_MatchesStructIfreq()
    {
        var request = default(global::Interop.Ethtool.IfReq);

        Assert.Equal(40, sizeof(global::Interop.Ethtool.IfReq));
        Assert.Equal(0, (int)((byte*)request.ifr_name - (byte*)&request));
        Assert.Equal(16, (int)((byte*)&request.ifr_data - (byte*)&request));
    }

    [Fact]
    public void EthtoolDrvInfo_Layout_MatchesStructEthtoolDrvinfo()
    {
        var info = default(global::Interop.Ethtool.EthtoolDrvInfo);
        byte* start = (byte*)&info;

        Assert.Equal(196, sizeof(global::Interop.Ethtool.EthtoolDrvInfo));
        Assert.Equal(EthtoolReplies.DrvInfoSize, sizeof(global::Interop.Ethtool.EthtoolDrvInfo));
        Assert.Equal(4, (int)(info.driver - start));
        Assert.Equal(36, (int)(info.version - start));
        Assert.Equal(68, (int)(info.fw_version - start));
        Assert.Equal(100, (int)(info.bus_info - start));
        Assert.Equal(132, (int)(info.erom_version - start));
        Assert.Equal(164, (int)(info.reserved2 - start));
        Assert.Equal(176, (int)((byte*)&info.n_priv_flags - start));
        Assert.Equal(180, (int)((byte*)&info.n_stats - start));
        Assert.Equal(192, (int)((byte*)&info.regdump_len - start));
    }

    [Fact]
    public void FlexibleArrayHeaders_Sizes_MatchUapi()
    {
        Assert.Equal(16, sizeof(global::Interop.Ethtool.EthtoolSsetInfo));
        Assert.Equal(12, sizeof(global::Interop.Ethtool.EthtoolGStrings));
        Assert.Equal(8, sizeof(global::Interop.Ethtool.EthtoolStats));
        Assert.Equal(EthtoolReplies.SsetInfoHeaderSize, sizeof(global::Interop.Ethtool.EthtoolSsetInfo));
        Assert.Equal(EthtoolReplies.GStringsHeaderSize, sizeof(global::Interop.Ethtool.EthtoolGStrings));
        Assert.Equal(EthtoolReplies.StatsHeaderSize, sizeof(global::Interop.Ethtool.EthtoolStats));
    }

    [Fact]
    public void Layout_CompiledAgainstKernelHeaders_AgreesWithInterop()
    {
        Dictionary<string, long> c = CompileAndRunProbe();
        var drvInfo = default(global::Interop.Ethtool.EthtoolDrvInfo);
        var request = default(global::Interop.Ethtool.IfReq);
        var expected = new Dictionary<string, long>
        {
            ["SIOCETHTOOL"] = global::Interop.Ethtool.SIOCETHTOOL,
            ["ETHTOOL_GDRVINFO"] = global::Interop.Ethtool.ETHTOOL_GDRVINFO,
            ["ETHTOOL_GSTRINGS"] = global::Interop.Ethtool.ETHTOOL_GSTRINGS,
            ["ETHTOOL_GSTATS"] = global::Interop.Ethtool.ETHTOOL_GSTATS,
            ["ETHTOOL_GSSET_INFO"] = global::Interop.Ethtool.ETHTOOL_GSSET_INFO,
            ["ETH_SS_STATS"] = global::Interop.Ethtool.ETH_SS_STATS,
            ["ETH_GSTRING_LEN"] = global::Interop.Ethtool.ETH_GSTRING_LEN,
            ["IFNAMSIZ"] = global::Interop.Ethtool.IFNAMSIZ,
            ["sizeof_ifreq"] = sizeof(global::Interop.Ethtool.IfReq),
            ["offsetof_ifreq_ifr_data"] = (byte*)&request.ifr_data - (byte*)&request,
            ["sizeof_ethtool_drvinfo"] = sizeof(global::Interop.Ethtool.EthtoolDrvInfo),
            ["offsetof_ethtool_drvinfo_driver"] = drvInfo.driver - (byte*)&drvInfo,
            ["offsetof_ethtool_drvinfo_bus_info"] = drvInfo.bus_info - (byte*)&drvInfo,
            ["offsetof_ethtool_drvinfo_n_stats"] = (byte*)&drvInfo.n_stats - (byte*)&drvInfo,
            ["offsetof_ethtool_drvinfo_regdump_len"] = (byte*)&drvInfo.regdump_len - (byte*)&drvInfo,
            ["sizeof_ethtool_sset_info"] = sizeof(global::Interop.Ethtool.EthtoolSsetInfo),
            ["offsetof_ethtool_sset_info_sset_mask"] = 8,
            ["offsetof_ethtool_sset_info_data"] = EthtoolReplies.SsetInfoHeaderSize,
            ["sizeof_ethtool_gstrings"] = sizeof(global::Interop.Ethtool.EthtoolGStrings),
            ["offsetof_ethtool_gstrings_len"] = 8,
            ["offsetof_ethtool_gstrings_data"] = EthtoolReplies.GStringsHeaderSize,
            ["sizeof_ethtool_stats"] = sizeof(global::Interop.Ethtool.EthtoolStats),
            ["offsetof_ethtool_stats_n_stats"] = 4,
            ["offsetof_ethtool_stats_data"] = EthtoolReplies.StatsHeaderSize,
        };

        Assert.Equal(expected.OrderBy(p => p.Key), c.OrderBy(p => p.Key));
    }

    private static Dictionary<string, long> CompileAndRunProbe()
    {
        const string source = """
            #include <stdio.h>
            #include <stddef.h>
            #include <net/if.h>
            #include <linux/ethtool.h>
            #include <linux/sockios.h>
            #define P(name, value) printf("%s=%ld\n", name, (long)(value))
            int main(void)
            {
                P("SIOCETHTOOL", SIOCETHTOOL);
                P("ETHTOOL_GDRVINFO", ETHTOOL_GDRVINFO);
                P("ETHTOOL_GSTRINGS", ETHTOOL_GSTRINGS);
                P("ETHTOOL_GSTATS", ETHTOOL_GSTATS);
                P("ETHTOOL_GSSET_INFO", ETHTOOL_GSSET_INFO);
                P("ETH_SS_STATS", ETH_SS_STATS);
                P("ETH_GSTRING_LEN", ETH_GSTRING_LEN);
                P("IFNAMSIZ", IFNAMSIZ);
                P("sizeof_ifreq", sizeof(struct ifreq));
                P("offsetof_ifreq_ifr_data", offsetof(struct ifreq, ifr_data));
                P("sizeof_ethtool_drvinfo", sizeof(struct ethtool_drvinfo));
                P("offsetof_ethtool_drvinfo_driver", offsetof(struct ethtool_drvinfo, driver));
                P("offsetof_ethtool_drvinfo_bus_info", offsetof(struct ethtool_drvinfo, bus_info));
                P("offsetof_ethtool_drvinfo_n_stats", offsetof(struct ethtool_drvinfo, n_stats));
                P("offsetof_ethtool_drvinfo_regdump_len", offsetof(struct ethtool_drvinfo, regdump_len));
                P("sizeof_ethtool_sset_info", sizeof(struct ethtool_sset_info));
                P("offsetof_ethtool_sset_info_sset_mask", offsetof(struct ethtool_sset_info, sset_mask));
                P("offsetof_ethtool_sset_info_data", offsetof(struct ethtool_sset_info, data));
                P("sizeof_ethtool_gstrings", sizeof(struct ethtool_gstrings));
                P("offsetof_ethtool_gstrings_len", offsetof(struct ethtool_gstrings, len));
                P("offsetof_ethtool_gstrings_data", offsetof(struct ethtool_gstrings, data));
                P("sizeof_ethtool_stats", sizeof(struct ethtool_stats));
                P("offsetof_ethtool_stats_n_stats", offsetof(struct ethtool_stats, n_stats));
                P("offsetof_ethtool_stats_data", offsetof(struct ethtool_stats, data));
                return 0;
            }
            """;

        // The machine image ships gcc and linux-libc-dev; if either is missing this fails loudly rather than skipping.
        Assert.True(File.Exists("/usr/include/linux/ethtool.h"), "/usr/include/linux/ethtool.h missing: apt-get install linux-libc-dev");
        string directory = Directory.CreateTempSubdirectory("netdrop-ethtool-layout-").FullName;
        try
        {
            string c = Path.Join(directory, "probe.c");
            string exe = Path.Join(directory, "probe");
            File.WriteAllText(c, source);
            Run("cc", $"-o {exe} {c}");
            string output = Run(exe, "");
            return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => line.Split('='))
                .ToDictionary(kv => kv[0], kv => long.Parse(kv[1], NumberStyles.None, CultureInfo.InvariantCulture));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static string Run(string file, string arguments)
    {
        var start = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using Process process = Process.Start(start) ?? throw new InvalidOperationException("cannot start " + file);
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(60_000), file + " timed out");
        Assert.True(process.ExitCode == 0, $"{file} {arguments} exited {process.ExitCode}: {error}");
        return output;
    }
}
