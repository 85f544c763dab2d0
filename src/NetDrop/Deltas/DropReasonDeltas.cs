using System.Globalization;
using NetDrop.Kernel.Bpf;
using NetDrop.Sources;

namespace NetDrop.Deltas;

/// <summary>
/// One interval's drops per kernel drop reason, beside the categories and never added into
/// <see cref="IntervalReport.TotalDrops"/>: a reason counts the same packets a counter already counts (NO_SOCKET is
/// also <c>Udp: NoPorts</c>, TCP_LISTEN_OVERFLOW also <c>ListenOverflows</c>), so adding both would count a packet
/// twice. The reasons that moved are kept sorted by count, largest first, per <see cref="DropReasonKind"/>.
/// Reused between intervals: computing allocates nothing.
/// </summary>
internal sealed class DropReasonDeltas
{
    /// <summary>The name of the slot that counts reasons past the kernel's enum (subsystem reasons: openvswitch, mac80211, ...).</summary>
    public const string OtherSubsystemName = "SUBSYSTEM";

    private readonly string[] _names;
    private readonly DropReasonKind[] _kinds;
    private readonly ulong[] _deltas;
    private readonly int[] _loss;
    private readonly int[] _notLoss;
    private int _lossCount;
    private int _notLossCount;

    public DropReasonDeltas(DropReasonNames names)
    {
        Names = names;
        int slots = names.Count + 1;
        _names = new string[slots];
        _kinds = new DropReasonKind[slots];
        for (int slot = 0; slot < slots; slot++)
        {
            // PERF: every name is made here, once; an unnamed value (a gap in the enum) gets its number.
            _names[slot] = slot == names.Count ? OtherSubsystemName
                : names.NameOf(slot) ?? string.Create(CultureInfo.InvariantCulture, $"REASON_{slot}");
            _kinds[slot] = DropReasonKinds.Of(_names[slot]);
        }

        _deltas = new ulong[slots];
        _loss = new int[slots];
        _notLoss = new int[slots];
    }

    /// <summary>The reason names the slots were built from.</summary>
    public DropReasonNames Names { get; }

    /// <summary>False when the map could not be read in either sample: no reason is known this interval.</summary>
    public bool Available { get; private set; }

    /// <summary>Slots of loss reasons that moved, largest delta first.</summary>
    public ReadOnlySpan<int> Loss => _loss.AsSpan(0, _lossCount);

    /// <summary>Slots of not-loss reasons that moved, largest delta first.</summary>
    public ReadOnlySpan<int> NotLoss => _notLoss.AsSpan(0, _notLossCount);

    /// <summary>This interval's <c>NOT_SPECIFIED</c> frees.</summary>
    public ulong Unspecified { get; private set; }

    /// <summary>The sum of the loss reasons this interval.</summary>
    public ulong LossTotal { get; private set; }

    public ulong DeltaOf(int slot) => _deltas[slot];

    public string NameOf(int slot) => _names[slot];

    public DropReasonKind KindOf(int slot) => _kinds[slot];

    /// <summary>Every slot's delta from <paramref name="previous"/> to <paramref name="current"/> (reset aware, <see cref="CounterDelta"/>).</summary>
    public void Compute(Sample previous, Sample current)
    {
        Clear();
        ReadOnlySpan<ulong> before = previous.DropReasons;
        ReadOnlySpan<ulong> after = current.DropReasons;
        Available = previous.IsSourceOk(SourceId.DropReasons) && current.IsSourceOk(SourceId.DropReasons)
            && before.Length == _deltas.Length && after.Length == _deltas.Length;
        if (!Available)
        {
            return;
        }

        for (int slot = 0; slot < _deltas.Length; slot++)
        {
            // The map's counters only grow while it is attached; a lower value is a counter re-created (a reset).
            ulong delta = CounterDelta.Compute(before[slot], after[slot]);
            _deltas[slot] = delta;
            if (delta == 0)
            {
                continue;
            }

            switch (_kinds[slot])
            {
                case DropReasonKind.Loss:
                    Insert(_loss, ref _lossCount, slot);
                    LossTotal += delta;
                    break;
                case DropReasonKind.NotLoss:
                    Insert(_notLoss, ref _notLossCount, slot);
                    break;
                default:
                    Unspecified += delta;
                    break;
            }
        }
    }

    public void Clear()
    {
        Array.Clear(_deltas);
        _lossCount = 0;
        _notLossCount = 0;
        Unspecified = 0;
        LossTotal = 0;
        Available = false;
    }

    // Insertion into a list kept sorted by delta, largest first (ties by slot): a handful of reasons move per
    // interval, so this beats sorting, and it allocates nothing.
    private void Insert(int[] sorted, ref int count, int slot)
    {
        int position = count;
        while (position > 0 && _deltas[sorted[position - 1]] < _deltas[slot])
        {
            sorted[position] = sorted[position - 1];
            position--;
        }

        sorted[position] = slot;
        count++;
    }
}
