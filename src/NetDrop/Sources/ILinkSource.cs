namespace NetDrop.Sources;

/// <summary>Reads the monitored interfaces (and the slaves of monitored bonds) into a sample.</summary>
internal interface ILinkSource : ISampleSource
{
    /// <summary>Names of every interface in the namespace right now (for start-up checks and messages).</summary>
    IReadOnlyList<string> ListInterfaces();
}
