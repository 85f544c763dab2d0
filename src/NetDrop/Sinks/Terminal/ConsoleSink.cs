using System.Globalization;
using NetDrop.Model;
using NetDrop.Sources;
using NetDrop.Deltas;

namespace NetDrop.Sinks.Terminal;

/// <summary>
/// The seed's console lines, so people who watched the old script read this at a glance:
/// <code>
/// [2026-02-03 11:23:55] #0125 | ✖ CRIT | Drops: 523
///   ├─ Softirq Dropped: 500
///   ├─ Accept Queue Overflow: 23
/// </code>
/// Breakdown lines name every non-zero category (drops first, then pressure signals); with several interfaces or a
/// bond, interface categories add which interface or slave they came from. The lines are formatted on the sampling
/// thread into a pre-allocated buffer of a bounded queue (nothing allocated) and written by the queue's own thread,
/// so a stdout nobody reads never delays a sample: when the queue is full the newest interval is not printed, and the
/// number not printed is said on stderr once stdout moves again.
/// </summary>
internal sealed class ConsoleSink : IIntervalSink, IDisposable
{
    /// <summary>Intervals kept while stdout is blocked.</summary>
    public const int QueueCapacity = 256;

    /// <summary>How long stopping waits for the queued lines: a blocked stdout must not hold up the exit.</summary>
    public static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(1);

    private const string Reset = "\e[0m";

    /// <summary>Namespaces named on one breakdown line; the rest are summed as "+ N more" (a node runs 110 pods).</summary>
    private const int NamespacesNamed = 5;

    private readonly bool _color;
    private readonly InterfaceRegistry _registry;
    private readonly SinkQueue<char> _queue;
    private char[] _buffer = [];
    private int _length;

    public ConsoleSink(TextWriter output, bool color, InterfaceRegistry registry, Action<string>? say = null)
    {
        _color = color;
        _registry = registry;
        _queue = new SinkQueue<char>("netdrop-console", QueueCapacity, entryLength: 256, new ConsoleWriter(output, say ?? (_ => { })));
    }

    /// <summary>Intervals not printed so far because the queue was full.</summary>
    public long LinesDropped => _queue.Dropped;

    /// <summary>Colour when writing to a terminal, unless <c>NO_COLOR</c> is set (no-color.org) or colour was turned off.</summary>
    public static bool ShouldColor(bool? requested, bool isTerminal) =>
        requested ?? (isTerminal && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR")));

    /// <summary>Queues free text (the banner) in order with the interval lines.</summary>
    public void WriteText(string text)
    {
        if (_queue.TryReserve(out int slot))
        {
            ref char[] entry = ref _queue.Entry(slot);
            if (entry.Length < text.Length)
            {
                entry = new char[text.Length];
            }

            text.CopyTo(entry);
            _queue.Publish(slot, text.Length);
        }
    }

    public void Write(IntervalReport report)
    {
        if (!_queue.TryReserve(out int slot))
        {
            return;
        }

        _buffer = _queue.Entry(slot);
        _length = 0;
        Format(report);
        _queue.Entry(slot) = _buffer;
        _buffer = [];
        _queue.Publish(slot, _length);
    }

    /// <summary>Prints what is queued, waiting up to <paramref name="timeout"/> (stdout may be blocked).</summary>
    public bool Complete(TimeSpan timeout) => _queue.Complete(timeout);

    /// <summary>Waits until every line queued so far was written (tests); false on timeout.</summary>
    public bool WaitUntilWritten(TimeSpan timeout)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (_queue.Pending > 0)
        {
            if (clock.Elapsed > timeout)
            {
                return false;
            }

            Thread.Sleep(1);
        }

        return true;
    }

    public void Dispose()
    {
        Complete(StopTimeout);
        _queue.Dispose();
    }

    private void Format(IntervalReport report)
    {
        Append("[");
        Ensure(32);
        report.Timestamp.TryFormat(_buffer.AsSpan(_length), out int written, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        _length += written;
        Append("] #");
        Ensure(16);
        report.Iteration.TryFormat(_buffer.AsSpan(_length), out written, "D4", CultureInfo.InvariantCulture);
        _length += written;
        Append(" | ");
        if (_color)
        {
            Append(report.Severity switch
            {
                Severity.Crit => "\e[31m",
                Severity.Warn => "\e[33m",
                _ => "\e[32m",
            });
        }

        Append(SeverityNames.Symbol(report.Severity));
        Append(" ");
        Append(SeverityNames.Text(report.Severity));
        if (_color)
        {
            Append(Reset);
        }

        Append(" | Drops: ");
        AppendNumber(report.TotalDrops);
        Append("\n");
        AppendCategories(report, CategoryKind.Drop);
        AppendCategories(report, CategoryKind.Pressure);
        AppendDropReasons(report);
        foreach (string message in report.Events)
        {
            Append("  ! ");
            Append(message);
            Append("\n");
        }
    }

    private void AppendCategories(IntervalReport report, CategoryKind kind)
    {
        foreach (DropCategory category in report.Table)
        {
            ulong value = report[category];
            if (category.Kind != kind || value == 0)
            {
                continue;
            }

            Append("  ├─ ");
            Append(category.Label);
            Append(": ");
            AppendNumber(value);
            if (category.Scope == CategoryScope.Interface && (report.Interfaces.Count > 1 || report.Slaves.Count > 0 || report.PodInterfaces.Count > 0))
            {
                AppendInterfaceDetail(report, category);
            }
            else if (category.Scope == CategoryScope.Namespace && report.Namespaces.Count > 0)
            {
                AppendNamespaceDetail(report, category, value);
            }

            Append("\n");
        }
    }

    /// <summary>Reasons shown on one line before the rest are summed into "N more".</summary>
    public const int ReasonsShown = 5;

    // Beside the categories: the reasons count the same packets, so they never change "Drops:". Loss reasons, the
    // frees that lost nothing, and the frees that gave no reason each have their own line (see DropReasonKinds).
    private void AppendDropReasons(IntervalReport report)
    {
        if (report.DropReasons is not { Available: true } reasons)
        {
            return;
        }

        AppendReasonLine("  ├─ Drop reasons: ", reasons, reasons.Loss);
        AppendReasonLine("  ├─ Freed, not lost: ", reasons, reasons.NotLoss);
        if (reasons.Unspecified > 0)
        {
            Append("  ├─ No reason given (NOT_SPECIFIED): ");
            AppendNumber(reasons.Unspecified);
            Append("\n");
        }
    }

    private void AppendReasonLine(string label, DropReasonDeltas reasons, ReadOnlySpan<int> slots)
    {
        if (slots.IsEmpty)
        {
            return;
        }

        Append(label);
        ulong rest = 0;
        for (int i = 0; i < slots.Length; i++)
        {
            if (i >= ReasonsShown)
            {
                rest += reasons.DeltaOf(slots[i]);
                continue;
            }

            Append(i == 0 ? "" : ", ");
            Append(reasons.NameOf(slots[i]));
            Append(" ");
            AppendNumber(reasons.DeltaOf(slots[i]));
        }

        if (slots.Length > ReasonsShown)
        {
            Append(", ");
            AppendNumber((ulong)(slots.Length - ReasonsShown));
            Append(" more ");
            AppendNumber(rest);
        }

        Append("\n");
    }

    private void AppendInterfaceDetail(IntervalReport report, DropCategory category)
    {
        Append(" (");
        bool first = true;
        foreach (InterfaceDelta delta in report.Interfaces)
        {
            ulong value = report.ValueOf(delta, category);
            if (value == 0)
            {
                continue;
            }

            Append(first ? "" : ", ");
            Append(_registry.NameOf(delta.Series));
            Append(": ");
            AppendNumber(value);
            first = false;
            bool firstSlave = true;
            foreach (InterfaceDelta slave in report.Slaves)
            {
                ulong slaveValue = report.ValueOf(slave, category);
                if (slave.MasterSeries != delta.Series || slaveValue == 0)
                {
                    continue;
                }

                Append(firstSlave ? " = " : " + ");
                Append(_registry.NameOf(slave.Series));
                Append(" ");
                AppendNumber(slaveValue);
                firstSlave = false;
            }
        }

        // Other namespaces' interfaces after the node's, by owner and name: "pod 5f1c2a7e/eth0: 37".
        int named = 0, more = 0;
        ulong moreValue = 0;
        foreach (PodInterfaceDelta delta in report.PodInterfaces)
        {
            AppendShare(delta.Owner, delta.Name, report.ValueOf(delta, category), ref first, ref named, ref more, ref moreValue);
        }

        AppendMore(more, moreValue);
        Append(")");
    }

    /// <summary>
    /// Which namespaces a socket-layer category came from, in the scanner's order, at most
    /// <see cref="NamespacesNamed"/> of them, the node's own share first when it has one:
    /// <c>(node 3, pod 5f1c2a7e 32, container 0a1b2c3d4e5f 4, + 2 more 7)</c>.
    /// </summary>
    private void AppendNamespaceDetail(IntervalReport report, DropCategory category, ulong value)
    {
        ulong own = report.NodeOwnValueOf(category);
        if (own == value)
        {
            return; // only the node's own namespace dropped: nothing to say
        }

        Append(" (");
        bool first = true;
        if (own > 0)
        {
            Append("node ");
            AppendNumber(own);
            first = false;
        }

        int named = 0, more = 0;
        ulong moreValue = 0;
        foreach (NamespaceDelta delta in report.Namespaces)
        {
            AppendShare(delta.Owner, null, IntervalReport.ValueOf(delta, category), ref first, ref named, ref more, ref moreValue);
        }

        AppendMore(more, moreValue);
        Append(")");
    }

    // One other namespace's non-zero share, "pod 5f1c2a7e 32" (or with its interface, "pod 5f1c2a7e/eth0: 37"), while
    // fewer than NamespacesNamed were named; past that only counted, for AppendMore.
    private void AppendShare(Kernel.Namespaces.NamespaceOwner owner, string? interfaceName, ulong value, ref bool first, ref int named, ref int more, ref ulong moreValue)
    {
        if (value == 0)
        {
            return;
        }

        if (named == NamespacesNamed)
        {
            more++;
            moreValue += value;
            return;
        }

        Append(first ? "" : ", ");
        AppendOwner(owner);
        if (interfaceName is null)
        {
            Append(" ");
        }
        else
        {
            Append("/");
            Append(interfaceName);
            Append(": ");
        }

        AppendNumber(value);
        first = false;
        named++;
    }

    // The shares past NamespacesNamed: ", + 2 more 7".
    private void AppendMore(int more, ulong moreValue)
    {
        if (more > 0)
        {
            Append(", + ");
            AppendNumber((ulong)more);
            Append(" more ");
            AppendNumber(moreValue);
        }
    }

    // A pod by the first 8 characters of its uid (as kubectl users recognise one), a container by the first 12 of its
    // id (as docker ps prints it), else the representative task: "pid 4242 nginx".
    private void AppendOwner(Kernel.Namespaces.NamespaceOwner owner)
    {
        if (owner.PodUid is { } pod)
        {
            Append("pod ");
            Append(pod.AsSpan(0, Math.Min(8, pod.Length)));
        }
        else if (owner.ContainerId is { } container)
        {
            Append("container ");
            Append(container.AsSpan(0, Math.Min(12, container.Length)));
        }
        else
        {
            Append("pid ");
            AppendNumber((ulong)owner.Pid);
            Append(" ");
            Append(owner.Comm);
        }
    }

    private void AppendNumber(ulong value)
    {
        Ensure(20);
        value.TryFormat(_buffer.AsSpan(_length), out int written, default, CultureInfo.InvariantCulture);
        _length += written;
    }

    private void Append(ReadOnlySpan<char> text)
    {
        Ensure(text.Length);
        text.CopyTo(_buffer.AsSpan(_length));
        _length += text.Length;
    }

    private void Ensure(int extra)
    {
        if (_length + extra > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + extra));
        }
    }
}
