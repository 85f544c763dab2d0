namespace NetDrop.Model;

/// <summary>
/// The optional detail CSV (<c>csv.detail_path</c>): long format, one row per non-zero series per interval, so a new
/// scope or category never changes its columns:
/// <code>
/// timestamp,iteration,scope,key,category,value
/// 2026-02-03 11:23:50,124,interface,eth0,nic_rx,30
/// 2026-02-03 11:23:50,124,slave,bond0/eth1,nic_rx,10
/// 2026-02-03 11:23:50,124,cpu,3,softirq,500
/// 2026-02-03 11:23:50,124,reason,NO_SOCKET,loss,812
/// 2026-02-03 11:23:50,124,reason,NOT_SPECIFIED,unspecified,120
/// </code>
/// <c>timestamp</c> and <c>iteration</c> are the seed CSV row's of the same interval, so the two files join on them.
/// Within one interval the <c>interface</c> rows of a category, with the <c>pod</c> / <c>namespace</c> rows of other
/// namespaces' interfaces (keys <c>…/eth0</c>), sum to the seed CSV's column, and the <c>cpu</c> rows to the host-wide
/// softnet columns; a <c>slave</c> row is part of its bond's
/// <c>interface</c> row and is not added to it again. The monitor and <c>netdrop analyze</c> both read this class.
/// </summary>
/// <remarks>
/// A <c>reason</c> row (opt-in, <c>--drop-reasons</c>) is one kernel drop reason's packets in the interval: key the
/// reason's name (<c>enum skb_drop_reason</c> without <c>SKB_DROP_REASON_</c>), or <c>OWNER/NAME</c> for another
/// network namespace's share, OWNER as the namespace and pod rows spell it (a pod uid, a container id, <c>comm/pid</c>);
/// the reason is always the last <c>/</c>-separated part (reason names have no <c>/</c>). A reason has no category:
/// its <c>category</c> cell is its kind, <see cref="ReasonLoss"/>, <see cref="ReasonUnspecified"/> or
/// <see cref="ReasonNotLoss"/>, the values of the metric attribute <c>netdrop.drop_reason_kind</c>. Reason rows count
/// the same packets the category rows and the seed CSV count (NO_SOCKET is also <c>Udp: NoPorts</c>): they are never
/// to be added to them, and <c>unspecified</c> / <c>not_loss</c> rows are frees that may have lost nothing.
/// </remarks>
internal static class DetailCsvSchema
{
    public const string Timestamp = "timestamp";
    public const string Iteration = "iteration";
    public const string Scope = "scope";
    public const string Key = "key";
    public const string Category = "category";
    public const string Value = "value";

    /// <summary>The header line, without its trailing newline: how <c>analyze</c> tells a detail file from a seed CSV.</summary>
    public const string Header = "timestamp,iteration,scope,key,category,value";

    /// <summary>Between the bond's and the slave's name in a <see cref="DetailCsvScope.Slave"/> key.</summary>
    public const char SlaveSeparator = '/';

    /// <summary>A reason row's kind cell: a packet the network lost (NO_SOCKET, QDISC_DROP, ...).</summary>
    public const string ReasonLoss = "loss";

    /// <summary>A reason row's kind cell for <c>NOT_SPECIFIED</c>: a plain <c>kfree_skb()</c>, a drop or a clean-up, nobody can say.</summary>
    public const string ReasonUnspecified = "unspecified";

    /// <summary>A reason row's kind cell: freed on a path that loses nothing the network carried (SOCKET_CLOSE, TCP_OLD_DATA, ...).</summary>
    public const string ReasonNotLoss = "not_loss";

    /// <summary>Between a reason's namespace owner and its name in a <see cref="DetailCsvScope.Reason"/> key.</summary>
    public const char ReasonOwnerSeparator = '/';

    /// <summary>Every column in order.</summary>
    public static readonly string[] Columns = [Timestamp, Iteration, Scope, Key, Category, Value];

    private static readonly string[] s_scopeNames = ["interface", "namespace", "pod", "cpu", "slave", "socket", "reason"];

    /// <summary>Every scope, in the order a report lists them.</summary>
    public static ReadOnlySpan<DetailCsvScope> Scopes =>
        [DetailCsvScope.Interface, DetailCsvScope.Slave, DetailCsvScope.Cpu, DetailCsvScope.Namespace, DetailCsvScope.Pod, DetailCsvScope.Socket, DetailCsvScope.Reason];

    /// <summary>The <c>scope</c> cell of a row: <c>interface</c>, <c>namespace</c>, <c>pod</c>, <c>cpu</c>, <c>slave</c>, <c>socket</c>, <c>reason</c>.</summary>
    public static string ScopeName(DetailCsvScope scope) => s_scopeNames[(int)scope];

    /// <summary>The scope a <c>scope</c> cell names; false for a name this version does not know.</summary>
    public static bool TryParseScope(ReadOnlySpan<char> name, out DetailCsvScope scope)
    {
        for (int i = 0; i < s_scopeNames.Length; i++)
        {
            if (name.SequenceEqual(s_scopeNames[i]))
            {
                scope = (DetailCsvScope)i;
                return true;
            }
        }

        scope = default;
        return false;
    }
}
