namespace NetDrop.Kernel.Tests.Bpf;

/// <summary>
/// What <see cref="DropReasonLab.OverflowAcceptQueue"/> saw, per phase: TcpExt ListenOverflows' delta in the namespace
/// and the namespace's TCP_LISTEN_OVERFLOW delta, first for one SYN sent to the full accept queue, then for the data
/// segments of <see cref="Clients"/> handshakes that completed while it was full.
/// </summary>
internal sealed record ListenOverflowWitness(
    ulong SynOverflows, ulong SynReasons, int Clients, ulong FinalAckOverflows, ulong FinalAckReasons);
