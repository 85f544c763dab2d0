using System.Globalization;
using Microsoft.Extensions.Logging;
using NetDrop.Model;
using NetDrop.Deltas;
using NetDrop.Kernel.Namespaces;
using System.Diagnostics;

namespace NetDrop.Sinks.Telemetry;

/// <summary>
/// Turns CRIT intervals into log records, without storms: at most one <c>netdrop.crit</c> record (severity Error) per
/// CRIT interval, all of one episode (consecutive CRIT intervals) sharing an episode id, and one
/// <c>netdrop.recovered</c> record (Information) when the episode ends. A 10-minute episode at 5 s is 120 records + 1.
/// </summary>
internal sealed class CritEventLogger : IIntervalSink
{
    private readonly ILogger _logger;
    private readonly TuningAdvice _advice;
    private readonly long _threshold;
    private readonly TimeProvider _time;
    private string? _episodeId;
    private int _episodeIntervals;
    private ulong _episodePeak;
    private double _episodeSeconds;
    private int _episodeCounter;

    public CritEventLogger(ILogger logger, TuningAdvice advice, long threshold, TimeProvider time)
    {
        _logger = logger;
        _advice = advice;
        _threshold = threshold;
        _time = time;
    }

    public void Write(IntervalReport report)
    {
        if (report.Severity == Severity.Crit)
        {
            if (_episodeId is null)
            {
                _episodeId = string.Create(CultureInfo.InvariantCulture,
                    $"{Environment.MachineName}-{_time.GetUtcNow().ToUnixTimeSeconds()}-{++_episodeCounter}");
                _episodeIntervals = 0;
                _episodePeak = 0;
                _episodeSeconds = 0;
            }

            _episodeIntervals++;
            _episodeSeconds += report.IntervalSeconds;
            _episodePeak = Math.Max(_episodePeak, report.TotalDrops);
            LogCrit(report);
        }
        else if (_episodeId is not null)
        {
            LogRecovered(report);
            _episodeId = null;
        }
    }

    private void LogCrit(IntervalReport report)
    {
        DropCategory dominant = Dominant(report);
        string interfaceName = DominantInterface(report, dominant);
        string advice = _advice.For(dominant, interfaceName);
        string? topReasons = TopReasons(report.DropReasons);
        NamespaceDelta? where = DominantNamespace(report, dominant);
        string inNamespace = where is { } pod ? " in " + OwnerText(pod.Owner) : "";
        string body = string.Create(CultureInfo.InvariantCulture,
            $"CRIT: {report.TotalDrops} packets dropped on {report.InterfaceLabel} in {report.IntervalSeconds:0.#} s, mostly {dominant.Column} ({report[dominant]}){inNamespace}: {advice}");
        if (topReasons is not null)
        {
            body += "; drop reasons: " + topReasons;
        }

        LogAttributes attributes = new LogAttributes(body)
            .Add(NetDropSemanticConventions.AttributeInterface, report.InterfaceLabel)
            .Add(NetDropSemanticConventions.AttributeTotalDrops, (long)report.TotalDrops)
            .Add(NetDropSemanticConventions.AttributeThreshold, _threshold)
            .Add(NetDropSemanticConventions.AttributeCategory, dominant.Column)
            .Add(NetDropSemanticConventions.AttributeDominantCategory, dominant.Column)
            .Add(NetDropSemanticConventions.AttributeEpisodeId, _episodeId)
            .Add(NetDropSemanticConventions.AttributeEpisodeIntervals, _episodeIntervals)
            .Add(NetDropSemanticConventions.AttributeIntervalSeconds, report.IntervalSeconds)
            .Add(NetDropSemanticConventions.AttributeAdvice, advice)
            .Add(NetDropSemanticConventions.AttributeAlertSeverity, NetDropSemanticConventions.AlertSeverityCritical);
        foreach (DropCategory category in report.Table)
        {
            if (report[category] > 0)
            {
                attributes.Add(NetDropSemanticConventions.AttributeDropsPrefix + category.Column, (long)report[category]);
            }
        }

        if (topReasons is not null)
        {
            attributes.Add(NetDropSemanticConventions.AttributeDropReasonsTop, topReasons);
        }

        if (where is { } owner)
        {
            var tags = new TagList();
            NetDropMetrics.AddOwner(ref tags, owner.Owner);
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                attributes.Add(tag.Key, tag.Value);
            }
        }

        _logger.Log(LogLevel.Error, LogEventIds.Crit, attributes, null, static (state, _) => state.Body);
    }

    private void LogRecovered(IntervalReport report)
    {
        string body = string.Create(CultureInfo.InvariantCulture,
            $"recovered: drops on {report.InterfaceLabel} are below the CRIT threshold again ({report.TotalDrops} this interval) after {_episodeIntervals} CRIT intervals ({_episodeSeconds:0.#} s), peak {_episodePeak}");
        LogAttributes attributes = new LogAttributes(body)
            .Add(NetDropSemanticConventions.AttributeInterface, report.InterfaceLabel)
            .Add(NetDropSemanticConventions.AttributeTotalDrops, (long)report.TotalDrops)
            .Add(NetDropSemanticConventions.AttributeEpisodeId, _episodeId)
            .Add(NetDropSemanticConventions.AttributeEpisodeIntervals, _episodeIntervals)
            .Add(NetDropSemanticConventions.AttributeEpisodePeak, (long)_episodePeak);
        _logger.Log(LogLevel.Information, LogEventIds.Recovered, attributes, null, static (state, _) => state.Body);
    }

    /// <summary>Reasons a CRIT record names: the top loss reasons, as the console prints them.</summary>
    public const int TopReasonCount = 3;

    // "NO_SOCKET 812, TCP_LISTEN_OVERFLOW 32": the loss reasons that moved most, or null when none moved (or reasons
    // are off). NOT_SPECIFIED and the not-loss reasons are left out: they say nothing about why packets were lost.
    private static string? TopReasons(DropReasonDeltas? reasons)
    {
        if (reasons is not { Available: true } || reasons.Loss.IsEmpty)
        {
            return null;
        }

        var top = new System.Text.StringBuilder();
        ReadOnlySpan<int> loss = reasons.Loss;
        for (int i = 0; i < loss.Length && i < TopReasonCount; i++)
        {
            top.Append(i == 0 ? "" : ", ").Append(reasons.NameOf(loss[i])).Append(' ')
                .Append(reasons.DeltaOf(loss[i]).ToString(CultureInfo.InvariantCulture));
        }

        return top.ToString();
    }

    private static DropCategory Dominant(IntervalReport report)
    {
        DropCategory dominant = report.Table[0];
        foreach (DropCategory category in report.Table)
        {
            if (category.IsDrop && report[category] > report[dominant])
            {
                dominant = category;
            }
        }

        return dominant;
    }

    /// <summary>
    /// For a socket-layer dominant category, the namespace (pod, container, process) with the largest share of it, if
    /// that share is larger than the node's own namespace's; null when the node's own sockets dropped most.
    /// </summary>
    private static NamespaceDelta? DominantNamespace(IntervalReport report, DropCategory dominant)
    {
        if (dominant.Scope != CategoryScope.Namespace)
        {
            return null;
        }

        NamespaceDelta? best = null;
        ulong bestValue = report.NodeOwnValueOf(dominant);
        foreach (NamespaceDelta delta in report.Namespaces)
        {
            ulong value = IntervalReport.ValueOf(delta, dominant);
            if (value > bestValue)
            {
                (best, bestValue) = (delta, value);
            }
        }

        return best;
    }

    private static string OwnerText(NamespaceOwner owner) =>
        owner.PodUid is { } pod ? "pod " + pod
        : owner.ContainerId is { } container ? "container " + container
        : string.Create(CultureInfo.InvariantCulture, $"process {owner.Comm} (pid {owner.Pid})");

    // For interface categories the advice names the interface that dropped most, not the joined label.
    private static string DominantInterface(IntervalReport report, DropCategory dominant)
    {
        string best = report.InterfaceLabel;
        ulong bestValue = 0;
        if (dominant.Scope == CategoryScope.Interface && report.Interfaces.Count > 1)
        {
            string[] names = report.InterfaceLabel.Split('+');
            for (int i = 0; i < report.Interfaces.Count && i < names.Length; i++)
            {
                ulong value = report.ValueOf(report.Interfaces[i], dominant);
                if (value > bestValue)
                {
                    (best, bestValue) = (names[i], value);
                }
            }
        }

        return best;
    }
}
