namespace NetDrop.Analysis;

/// <summary>One series of the detail CSV summed over the analysed intervals: <c>eth0</c> <c>nic_rx</c> 523.</summary>
internal sealed record DetailTotal(string Key, string Category, long Total);
