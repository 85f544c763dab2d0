namespace NetDrop.Kernel.Ethtool;

/// <summary>The outcome of one ethtool statistics read.</summary>
internal enum EthtoolReadStatus
{
    /// <summary>The statistics were read.</summary>
    Ok,

    /// <summary>
    /// The driver has no statistics: GDRVINFO/GSTATS answered EOPNOTSUPP, or GSSET_INFO's reply mask lacks
    /// ETH_SS_STATS (the kernel drops unsupported sets from the mask instead of failing, net/ethtool/ioctl.c
    /// <c>ethtool_get_sset_info</c>). <c>lo</c> is such a device. A normal answer, not an error.
    /// </summary>
    NotSupported,

    /// <summary>ENODEV: no interface of that name in the socket's network namespace (it vanished or was renamed).</summary>
    NoDevice,

    /// <summary>Any other errno, or a reply that did not parse; the reader's <c>LastErrno</c> says which.</summary>
    Failed,
}
