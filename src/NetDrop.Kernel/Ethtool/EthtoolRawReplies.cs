namespace NetDrop.Kernel.Ethtool;

/// <summary>
/// The raw reply buffers of one statistics read, as the kernel wrote them (host-endian): what fixture capture stores
/// as <c>ethtool/IF.drvinfo.bin</c>, <c>IF.sset_info.bin</c>, <c>IF.gstrings.bin</c> and <c>IF.gstats.bin</c>.
/// </summary>
internal sealed record EthtoolRawReplies(byte[] DriverInfo, byte[] SsetInfo, byte[] GStrings, byte[] GStats);
