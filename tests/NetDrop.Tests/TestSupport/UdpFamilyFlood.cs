namespace NetDrop.Tests.TestSupport;

/// <summary>One family's UDP flood: datagrams sent, and datagrams the unread socket had queued when read back.</summary>
internal sealed record UdpFamilyFlood(int Sent, int Queued)
{
    /// <summary>Datagrams the receiving socket refused: everything sent that it did not queue.</summary>
    public int Refused => Sent - Queued;
}
