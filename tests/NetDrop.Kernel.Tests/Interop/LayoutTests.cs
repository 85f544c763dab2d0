using System.Globalization;
using System.Runtime.InteropServices;
using NetDrop.Kernel.Snapshots;
using NetDrop.Kernel.Tests.TestSupport;

// NOTE: not NetDrop.Kernel.Tests.Interop, which would hide the global Interop class from every test namespace.
namespace NetDrop.Kernel.Tests.InteropLayout;

/// <summary>
/// The interop structs and constants against the kernel's UAPI headers (include/uapi/linux/netlink.h, rtnetlink.h,
/// if_link.h, gen_stats.h, pkt_sched.h): hand-written values that always run, and the same values printed by a C
/// program compiled against the installed headers where a compiler exists.
/// </summary>
public sealed unsafe class LayoutTests
{
    /// <summary>Every size, offset and constant the netlink readers depend on, as the managed code defines them.</summary>
    private static readonly Dictionary<string, long> s_managed = new(StringComparer.Ordinal)
    {
        ["sizeof struct nlmsghdr"] = sizeof(Interop.NlMsgHdr),
        ["offsetof struct nlmsghdr nlmsg_type"] = Offset<Interop.NlMsgHdr>(nameof(Interop.NlMsgHdr.nlmsg_type)),
        ["offsetof struct nlmsghdr nlmsg_flags"] = Offset<Interop.NlMsgHdr>(nameof(Interop.NlMsgHdr.nlmsg_flags)),
        ["offsetof struct nlmsghdr nlmsg_seq"] = Offset<Interop.NlMsgHdr>(nameof(Interop.NlMsgHdr.nlmsg_seq)),
        ["offsetof struct nlmsghdr nlmsg_pid"] = Offset<Interop.NlMsgHdr>(nameof(Interop.NlMsgHdr.nlmsg_pid)),
        ["sizeof struct nlattr"] = sizeof(Interop.NlAttr),
        ["sizeof struct nlmsgerr"] = sizeof(Interop.NlMsgErr),
        ["sizeof struct sockaddr_nl"] = sizeof(Interop.SockaddrNl),
        ["offsetof struct sockaddr_nl nl_pid"] = Offset<Interop.SockaddrNl>(nameof(Interop.SockaddrNl.nl_pid)),
        ["sizeof struct ifinfomsg"] = sizeof(Interop.IfInfoMsg),
        ["offsetof struct ifinfomsg ifi_index"] = Offset<Interop.IfInfoMsg>(nameof(Interop.IfInfoMsg.ifi_index)),
        ["sizeof struct tcmsg"] = sizeof(Interop.TcMsg),
        ["offsetof struct tcmsg tcm_ifindex"] = Offset<Interop.TcMsg>(nameof(Interop.TcMsg.tcm_ifindex)),
        ["offsetof struct tcmsg tcm_handle"] = Offset<Interop.TcMsg>(nameof(Interop.TcMsg.tcm_handle)),
        ["offsetof struct tcmsg tcm_parent"] = Offset<Interop.TcMsg>(nameof(Interop.TcMsg.tcm_parent)),
        ["offsetof struct tcmsg tcm_info"] = Offset<Interop.TcMsg>(nameof(Interop.TcMsg.tcm_info)),
        ["sizeof struct gnet_stats_basic"] = sizeof(Interop.GnetStatsBasic),
        ["offsetof struct gnet_stats_basic packets"] = Offset<Interop.GnetStatsBasic>(nameof(Interop.GnetStatsBasic.packets)),
        ["sizeof struct gnet_stats_queue"] = sizeof(Interop.GnetStatsQueue),
        ["offsetof struct gnet_stats_queue backlog"] = Offset<Interop.GnetStatsQueue>(nameof(Interop.GnetStatsQueue.backlog)),
        ["offsetof struct gnet_stats_queue drops"] = Offset<Interop.GnetStatsQueue>(nameof(Interop.GnetStatsQueue.drops)),
        ["offsetof struct gnet_stats_queue requeues"] = Offset<Interop.GnetStatsQueue>(nameof(Interop.GnetStatsQueue.requeues)),
        ["offsetof struct gnet_stats_queue overlimits"] = Offset<Interop.GnetStatsQueue>(nameof(Interop.GnetStatsQueue.overlimits)),
        ["sizeof struct tc_stats"] = sizeof(Interop.TcStats),
        ["offsetof struct tc_stats drops"] = Offset<Interop.TcStats>(nameof(Interop.TcStats.drops)),
        ["offsetof struct tc_stats overlimits"] = Offset<Interop.TcStats>(nameof(Interop.TcStats.overlimits)),
        ["offsetof struct tc_stats qlen"] = Offset<Interop.TcStats>(nameof(Interop.TcStats.qlen)),
        ["offsetof struct tc_stats backlog"] = Offset<Interop.TcStats>(nameof(Interop.TcStats.backlog)),
        ["sizeof struct timeval"] = sizeof(Interop.Timeval),
        ["offsetof struct rtnl_link_stats64 rx_dropped"] = Offset<LinkCounters>(nameof(LinkCounters.RxDropped)),
        ["offsetof struct rtnl_link_stats64 tx_dropped"] = Offset<LinkCounters>(nameof(LinkCounters.TxDropped)),
        ["offsetof struct rtnl_link_stats64 rx_missed_errors"] = Offset<LinkCounters>(nameof(LinkCounters.RxMissedErrors)),
        ["offsetof struct rtnl_link_stats64 rx_nohandler"] = Offset<LinkCounters>(nameof(LinkCounters.RxNoHandler)),
        ["end struct rtnl_link_stats64 rx_nohandler"] = LinkCounters.Size,
        ["NLMSG_DONE"] = Interop.Netlink.NLMSG_DONE,
        ["NLMSG_ERROR"] = Interop.Netlink.NLMSG_ERROR,
        ["NLMSG_OVERRUN"] = Interop.Netlink.NLMSG_OVERRUN,
        ["NLM_F_REQUEST"] = Interop.Netlink.NLM_F_REQUEST,
        ["NLM_F_MULTI"] = Interop.Netlink.NLM_F_MULTI,
        ["NLM_F_DUMP"] = Interop.Netlink.NLM_F_DUMP,
        ["NLM_F_DUMP_INTR"] = Interop.Netlink.NLM_F_DUMP_INTR,
        ["NLA_F_NESTED"] = Interop.Netlink.NLA_F_NESTED,
        ["NLA_F_NET_BYTEORDER"] = Interop.Netlink.NLA_F_NET_BYTEORDER,
        ["NETLINK_ROUTE"] = Interop.Netlink.NETLINK_ROUTE,
        ["NETLINK_GET_STRICT_CHK"] = Interop.Netlink.NETLINK_GET_STRICT_CHK,
        ["SOL_NETLINK"] = Interop.Netlink.SOL_NETLINK,
        ["AF_NETLINK"] = Interop.Libc.AF_NETLINK,
        ["SO_RCVTIMEO"] = Interop.Libc.SO_RCVTIMEO,
        ["MSG_PEEK"] = Interop.Libc.MSG_PEEK,
        ["MSG_TRUNC"] = Interop.Libc.MSG_TRUNC,
        ["MSG_DONTWAIT"] = Interop.Libc.MSG_DONTWAIT,
        ["RTM_NEWLINK"] = Interop.Rtnetlink.RTM_NEWLINK,
        ["RTM_GETLINK"] = Interop.Rtnetlink.RTM_GETLINK,
        ["RTM_NEWQDISC"] = Interop.Rtnetlink.RTM_NEWQDISC,
        ["RTM_GETQDISC"] = Interop.Rtnetlink.RTM_GETQDISC,
        ["IFLA_ADDRESS"] = Interop.Rtnetlink.IFLA_ADDRESS,
        ["IFLA_IFNAME"] = Interop.Rtnetlink.IFLA_IFNAME,
        ["IFLA_STATS"] = Interop.Rtnetlink.IFLA_STATS,
        ["IFLA_MASTER"] = Interop.Rtnetlink.IFLA_MASTER,
        ["IFLA_OPERSTATE"] = Interop.Rtnetlink.IFLA_OPERSTATE,
        ["IFLA_STATS64"] = Interop.Rtnetlink.IFLA_STATS64,
        ["IFLA_PERM_ADDRESS"] = Interop.Rtnetlink.IFLA_PERM_ADDRESS,
        ["IF_OPER_DOWN"] = Interop.Rtnetlink.IF_OPER_DOWN,
        ["IF_OPER_UP"] = Interop.Rtnetlink.IF_OPER_UP,
        ["TCA_KIND"] = Interop.Rtnetlink.TCA_KIND,
        ["TCA_STATS"] = Interop.Rtnetlink.TCA_STATS,
        ["TCA_STATS2"] = Interop.Rtnetlink.TCA_STATS2,
        ["TCA_DUMP_INVISIBLE"] = Interop.Rtnetlink.TCA_DUMP_INVISIBLE,
        ["TCA_STATS_BASIC"] = Interop.Rtnetlink.TCA_STATS_BASIC,
        ["TCA_STATS_QUEUE"] = Interop.Rtnetlink.TCA_STATS_QUEUE,
        ["TCA_STATS_BASIC_HW"] = Interop.Rtnetlink.TCA_STATS_BASIC_HW,
        ["TCA_STATS_PKT64"] = Interop.Rtnetlink.TCA_STATS_PKT64,
        ["TC_H_ROOT"] = Interop.Rtnetlink.TC_H_ROOT,
        ["TC_H_INGRESS"] = Interop.Rtnetlink.TC_H_INGRESS,
        ["TC_H_CLSACT"] = Interop.Rtnetlink.TC_H_CLSACT,
    };

    [Fact]
    public void Sizes_NetlinkAndRtnetlinkStructs_MatchUapiHeaders()
    {
        Assert.Equal(16, sizeof(Interop.NlMsgHdr));
        Assert.Equal(4, sizeof(Interop.NlAttr));
        Assert.Equal(12, sizeof(Interop.SockaddrNl));
        Assert.Equal(16, sizeof(Interop.IfInfoMsg));
        Assert.Equal(20, sizeof(Interop.TcMsg));
        Assert.Equal(16, sizeof(Interop.GnetStatsBasic));
        Assert.Equal(20, sizeof(Interop.GnetStatsQueue));
        Assert.Equal(40, sizeof(Interop.TcStats));
        Assert.Equal(16, sizeof(Interop.Timeval));
    }

    [Fact]
    public void SizeConstants_EachStruct_EqualItsManagedSize()
    {
        Assert.Equal(Interop.NlMsgHdr.Size, sizeof(Interop.NlMsgHdr));
        Assert.Equal(Interop.NlAttr.Size, sizeof(Interop.NlAttr));
        Assert.Equal(Interop.SockaddrNl.Size, sizeof(Interop.SockaddrNl));
        Assert.Equal(Interop.IfInfoMsg.Size, sizeof(Interop.IfInfoMsg));
        Assert.Equal(Interop.TcMsg.Size, sizeof(Interop.TcMsg));
        Assert.Equal(Interop.GnetStatsBasic.Size, sizeof(Interop.GnetStatsBasic));
        Assert.Equal(Interop.GnetStatsQueue.Size, sizeof(Interop.GnetStatsQueue));
        Assert.Equal(Interop.TcStats.Size, sizeof(Interop.TcStats));
        Assert.Equal(LinkCounters.Size, sizeof(LinkCounters));
        Assert.Equal(Interop.Netlink.NLMSG_HDRLEN, Interop.Netlink.NLMSG_ALIGN(Interop.NlMsgHdr.Size));
        Assert.Equal(Interop.Netlink.NLA_HDRLEN, Interop.Netlink.NLA_ALIGN(Interop.NlAttr.Size));
    }

    [Fact]
    public void Offsets_FieldsTheParsersRead_MatchUapiHeaders()
    {
        Assert.Equal(4, s_managed["offsetof struct ifinfomsg ifi_index"]);
        Assert.Equal((4, 8, 12, 16), (s_managed["offsetof struct tcmsg tcm_ifindex"], s_managed["offsetof struct tcmsg tcm_handle"],
            s_managed["offsetof struct tcmsg tcm_parent"], s_managed["offsetof struct tcmsg tcm_info"]));
        Assert.Equal(8, s_managed["offsetof struct gnet_stats_queue drops"]);
        Assert.Equal((12, 16, 28, 32), (s_managed["offsetof struct tc_stats drops"], s_managed["offsetof struct tc_stats overlimits"],
            s_managed["offsetof struct tc_stats qlen"], s_managed["offsetof struct tc_stats backlog"]));
        Assert.Equal(184, s_managed["offsetof struct rtnl_link_stats64 rx_nohandler"]);
        Assert.Equal(192, LinkCounters.Size);
    }

    [Fact]
    public void Align_NetlinkMacros_RoundUpToFourBytes()
    {
        Assert.Equal((0, 4, 4, 20, 24), (Interop.Netlink.NLMSG_ALIGN(0), Interop.Netlink.NLMSG_ALIGN(1),
            Interop.Netlink.NLMSG_ALIGN(4), Interop.Netlink.NLMSG_ALIGN(20), Interop.Netlink.NLA_ALIGN(21)));
    }

    [Fact]
    public void CompiledAgainstUapiHeaders_EverySizeOffsetAndConstant_MatchesManagedDefinition()
    {
        string directory = Directory.CreateTempSubdirectory("netdrop-layout-").FullName;
        try
        {
            string source = Path.Combine(directory, "layout.c");
            string program = Path.Combine(directory, "layout");
            File.WriteAllText(source, CProgram());
            RequiredTool.UapiHeader("rtnetlink.h");
            ToolRunner.Run(RequiredTool.Find("cc", "gcc"), "-std=gnu11", "-o", program, source);

            var native = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (string line in ToolRunner.Run(program).Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                int space = line.LastIndexOf(' ');
                native.Add(line[..space], long.Parse(line[(space + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture));
            }

            Assert.Equal(s_managed.Count + SysfsStatistics.CounterNames.Length, native.Count);
            Assert.All(s_managed, entry => Assert.True(
                native[entry.Key] == entry.Value, $"{entry.Key}: C says {native[entry.Key]}, managed {entry.Value}"));

            // Every LinkCounters field sits where rtnl_link_stats64 has the sysfs file of the same name.
            for (int i = 0; i < SysfsStatistics.CounterNames.Length; i++)
            {
                Assert.Equal(i * sizeof(ulong), native[$"counter {SysfsStatistics.CounterNames[i]}"]);
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static string CProgram()
    {
        var lines = new List<string>();
        foreach (string key in s_managed.Keys)
        {
            string[] words = key.Split(' ');
            string expression = words[0] switch
            {
                "sizeof" => $"sizeof(struct {words[2]})",
                "offsetof" => $"offsetof(struct {words[2]}, {words[3]})",
                "end" => $"offsetof(struct {words[2]}, {words[3]}) + sizeof(((struct {words[2]} *)0)->{words[3]})",
                _ => key,
            };
            lines.Add($"    printf(\"%s %lld\\n\", \"{key}\", (long long)({expression}));");
        }

        foreach (string counter in SysfsStatistics.CounterNames)
        {
            lines.Add($"    printf(\"counter {counter} %lld\\n\", (long long)offsetof(struct rtnl_link_stats64, {counter}));");
        }

        return $$"""
            #include <stddef.h>
            #include <stdio.h>
            #include <sys/socket.h>
            #include <sys/time.h>
            #include <linux/netlink.h>
            #include <linux/rtnetlink.h>
            #include <linux/if.h>
            #include <linux/if_link.h>
            #include <linux/gen_stats.h>
            #include <linux/pkt_sched.h>

            int main(void)
            {
            {{string.Join('\n', lines)}}
                return 0;
            }
            """;
    }

    private static long Offset<T>(string field) => Marshal.OffsetOf<T>(field).ToInt64();
}
