using System.Globalization;
using System.Text;
using NetDrop.Kernel.Netlink;
using NetDrop.Kernel.Tests.TestSupport;

namespace NetDrop.Kernel.Tests.Netlink;

/// <summary>
/// Re-captures the netlink fixtures (<c>NETDROP_CAPTURE_FIXTURES=1</c>): the raw RTM_GETLINK and RTM_GETQDISC dump
/// replies through the agent's own code path (<see cref="LinkDump.ReadRaw"/>, <see cref="QdiscDump.ReadRaw"/>), plus
/// the oracles the golden tests compare against, read around the dump: sysfs statistics before and after, and
/// <c>tc -s -j qdisc show invisible</c> after.
/// </summary>
public sealed class NetlinkFixtureCapture
{
    private const string CaptureCommand =
        "NETDROP_CAPTURE_FIXTURES=1 dotnet test tests/NetDrop.Kernel.Tests --filter FullyQualifiedName~NetlinkFixtureCapture";

    [CaptureFact]
    [Trait("Category", "Capture")]
    public void Capture_HostRootNamespace_WritesDumpsAndOracles()
    {
        string before = SysfsStatistics.ReadHost();
        (byte[] links, byte[] qdiscs) = DumpBoth();
        string after = SysfsStatistics.ReadHost();
        string tc = ToolRunner.Run("sh", "-c", TcQdiscs.Command);

        string setup =
            "Nothing was set up: this is the VM's root network namespace as booted (eth0 virtio_net with the default\n" +
            "pfifo_fast, lo with noqueue, and ifb0/ifb1 down with the builtin noop qdisc, which dumps never include).\n" +
            "The capture only reads.";
        Write(Fixtures.CapturedKernel, links, qdiscs, before, after, tc, setup);
    }

    [CaptureFact]
    [Trait("Category", "Capture")]
    public void Capture_VethQdiscNamespace_WritesDumpsAndOracles()
    {
        using var ns = NetworkNamespace.Create("ndcap");
        QdiscLab.Build(ns);
        QdiscLab.SendTraffic(ns);

        string before = ns.Shell(SysfsStatistics.Script);
        (byte[] links, byte[] qdiscs) = ns.Run(DumpBoth);
        string after = ns.Shell(SysfsStatistics.Script);
        string tc = ns.Shell(TcQdiscs.Command);

        var setup = new StringBuilder();
        setup.Append(CultureInfo.InvariantCulture, $"""
            A fresh network namespace (`ip netns add ndcap-XXXX`), built with these commands run inside it
            (tests/NetDrop.Kernel.Tests/TestSupport/QdiscLab.cs):

            ```sh

            """);
        foreach (string command in QdiscLab.SetupCommands)
        {
            setup.Append(command).Append('\n');
        }

        setup.Append(CultureInfo.InvariantCulture, $"""
            ```

            Then, from a thread inside the namespace, {QdiscLab.DatagramsPerDevice} UDP datagrams of {QdiscLab.DatagramSize} bytes
            were sent to each of 10.203.0.2 (out va: every one dropped by its mq's pfifo limit 0 child), 10.203.1.2
            (out vb: tbf) and 10.203.2.2 (out vc: htb class 3:10's pfifo), and the capture waited until no qdisc
            held a packet. The namespace was deleted afterwards.
            """);
        Write(Fixtures.NetnsVethQdiscs, links, qdiscs, before, after, tc, setup.ToString());
    }

    private static (byte[] Links, byte[] Qdiscs) DumpBoth()
    {
        using var socket = new NetlinkSocket();
        byte[] links = new LinkDump(socket).ReadRaw().ToArray();
        byte[] qdiscs = new QdiscDump(socket).ReadRaw().ToArray();
        return (links, qdiscs);
    }

    private static void Write(
        string fixture, byte[] links, byte[] qdiscs, string sysfsBefore, string sysfsAfter, string tc, string setup)
    {
        string directory = Path.Combine(Fixtures.SourceDirectory(fixture), "netlink");
        Directory.CreateDirectory(Path.Combine(directory, "oracle"));
        File.WriteAllBytes(Path.Combine(directory, "rtm_getlink.bin"), links);
        File.WriteAllBytes(Path.Combine(directory, "rtm_getqdisc.bin"), qdiscs);
        File.WriteAllText(Path.Combine(directory, "oracle", "sysfs-statistics.before.txt"), sysfsBefore);
        File.WriteAllText(Path.Combine(directory, "oracle", "sysfs-statistics.after.txt"), sysfsAfter);
        File.WriteAllText(Path.Combine(directory, "oracle", "tc-qdisc.json"), tc);

        string kernel = ToolRunner.Run("uname", "-r").Trim();
        string machine = ToolRunner.Run("uname", "-m").Trim();
        string distribution = ToolRunner.Run("sh", "-c", ". /etc/os-release && echo \"$PRETTY_NAME\"").Trim();
        string iproute = ToolRunner.Run("ip", "-V").Trim();
        string captured = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
        string markdown = $"""
            # {fixture}: netlink dumps

            | | |
            | --- | --- |
            | kernel (`uname -r`) | {kernel} ({machine}) |
            | distribution | {distribution} |
            | oracle tools | {iproute} |
            | captured | {captured} |
            | command | `{CaptureCommand}` |

            ## What was set up

            {setup}

            ## Files

            - `rtm_getlink.bin`: the raw replies of one RTM_GETLINK dump (`NLM_F_REQUEST|NLM_F_DUMP`, zeroed
              `struct ifinfomsg`), datagrams back to back, ending with NLMSG_DONE, exactly as `LinkDump.ReadRaw` returns them.
            - `rtm_getqdisc.bin`: the same for one RTM_GETQDISC dump (zeroed `struct tcmsg` plus `TCA_DUMP_INVISIBLE`),
              from `QdiscDump.ReadRaw` on the same socket, right after the link dump.
            - `oracle/sysfs-statistics.before.txt`, `.after.txt`: `/sys/class/net/*/ifindex` and `statistics/*` read with
              `cat` just before and just after the dumps ("name key value" lines).
            - `oracle/tc-qdisc.json`: `{TcQdiscs.Command}` just after the dumps.

            Nothing was scrubbed: the only MAC addresses are the VM's and the veths' locally administered ones, and
            netlink link and qdisc dumps carry no host name.
            """;
        File.WriteAllText(Path.Combine(directory, "FIXTURE.md"), markdown.ReplaceLineEndings("\n") + "\n");
    }
}
