namespace NetDrop.Model;

/// <summary>
/// The semantic-convention direction of an interface category, for <c>system.network.packet.dropped</c>
/// (<c>network.io.direction</c>); <see cref="None"/> keeps a category out of that instrument.
/// </summary>
internal enum NetworkIoDirection
{
    None,
    Receive,
    Transmit,
}
