namespace NetDrop.Model;

/// <summary>
/// Where the CRIT records' advice reads the settings it names, at the moment of the CRIT. <c>analyze</c> runs later,
/// maybe on another host, so it renders the same advice without one.
/// </summary>
internal interface ILiveSettings
{
    /// <summary>A sysctl by its dotted name (<c>net.core.somaxconn</c>), as the kernel prints it.</summary>
    string Sysctl(string name);

    /// <summary>A file of <c>/sys/class/net/IF/</c> (<c>tx_queue_len</c>).</summary>
    string InterfaceAttribute(string interfaceName, string attribute);
}
