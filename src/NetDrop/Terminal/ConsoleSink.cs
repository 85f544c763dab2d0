using System.Globalization;
using System.Text;
using NetDrop.Model;
using NetDrop.Sampling;

namespace NetDrop.Terminal;

/// <summary>
/// The seed's console lines, so people who watched the old script read this at a glance:
/// <code>
/// [2026-02-03 11:23:55] #0125 | ✖ CRIT | Drops: 523
///   ├─ Softirq Dropped: 500
///   ├─ Accept Queue Overflow: 23
/// </code>
/// Breakdown lines name every non-zero category (drops first, then pressure signals); with several interfaces or a
/// bond, interface categories add which interface or slave they came from.
/// </summary>
internal sealed class ConsoleSink : IIntervalSink
{
    private const string Reset = "\e[0m";

    private readonly TextWriter _out;
    private readonly bool _color;
    private readonly InterfaceRegistry _registry;
    private readonly StringBuilder _line = new();

    public ConsoleSink(TextWriter output, bool color, InterfaceRegistry registry)
    {
        _out = output;
        _color = color;
        _registry = registry;
    }

    /// <summary>Colour when writing to a terminal, unless <c>NO_COLOR</c> is set (no-color.org) or colour was turned off.</summary>
    public static bool ShouldColor(bool? requested, bool isTerminal) =>
        requested ?? (isTerminal && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR")));

    public void Write(IntervalReport report)
    {
        StringBuilder line = _line.Clear();
        string color = report.Severity switch
        {
            Severity.Crit => "\e[31m",
            Severity.Warn => "\e[33m",
            _ => "\e[32m",
        };
        line.Append(CultureInfo.InvariantCulture, $"[{report.Timestamp:yyyy-MM-dd HH:mm:ss}] #{report.Iteration:D4} | ");
        if (_color)
        {
            line.Append(color);
        }

        line.Append(SeverityNames.Symbol(report.Severity)).Append(' ').Append(SeverityNames.Text(report.Severity));
        if (_color)
        {
            line.Append(Reset);
        }

        line.Append(CultureInfo.InvariantCulture, $" | Drops: {report.TotalDrops}").Append('\n');
        AppendCategories(line, report, CategoryKind.Drop);
        AppendCategories(line, report, CategoryKind.Pressure);
        foreach (string message in report.Events)
        {
            line.Append("  ! ").Append(message).Append('\n');
        }

        _out.Write(line);
        _out.Flush();
    }

    private void AppendCategories(StringBuilder line, IntervalReport report, CategoryKind kind)
    {
        foreach (DropCategory category in DropCategories.All)
        {
            ulong value = report[category];
            if (category.Kind != kind || value == 0)
            {
                continue;
            }

            line.Append("  ├─ ").Append(category.Label).Append(": ").Append(value.ToString(CultureInfo.InvariantCulture));
            if (category.Scope == CategoryScope.Interface && (report.Interfaces.Count > 1 || report.Slaves.Count > 0))
            {
                AppendInterfaceDetail(line, report, category);
            }

            line.Append('\n');
        }
    }

    private void AppendInterfaceDetail(StringBuilder line, IntervalReport report, DropCategory category)
    {
        line.Append(" (");
        bool first = true;
        foreach (InterfaceDelta delta in report.Interfaces)
        {
            ulong value = delta.ValueOf(category);
            if (value == 0)
            {
                continue;
            }

            line.Append(first ? "" : ", ").Append(_registry.NameOf(delta.Series)).Append(": ").Append(value.ToString(CultureInfo.InvariantCulture));
            first = false;
            bool firstSlave = true;
            foreach (InterfaceDelta slave in report.Slaves)
            {
                ulong slaveValue = slave.ValueOf(category);
                if (slave.MasterSeries != delta.Series || slaveValue == 0)
                {
                    continue;
                }

                line.Append(firstSlave ? " = " : " + ").Append(_registry.NameOf(slave.Series)).Append(' ').Append(slaveValue.ToString(CultureInfo.InvariantCulture));
                firstSlave = false;
            }
        }

        line.Append(')');
    }
}
