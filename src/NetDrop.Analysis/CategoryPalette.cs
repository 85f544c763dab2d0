using NetDrop.Model;

namespace NetDrop.Analysis;

/// <summary>
/// One colour per category, the same in the terminal and in the HTML charts, so a colour means the same thing in
/// both. Neighbouring seed categories get contrasting hues; pressure categories get muted ones.
/// </summary>
internal static class CategoryPalette
{
    private static readonly string[] s_hex =
    [
        "#4e79a7", // nic_rx
        "#76b7e0", // nic_tx
        "#f28e2b", // nic_missed
        "#edc948", // qdisc
        "#e15759", // softirq
        "#59a14f", // syn_queue
        "#b07aa1", // accept_queue
        "#9c755f", // tcp_pruned
        "#c9b27c", // tcp_collapsed (pressure)
        "#499894", // udp_rcvbuf
        "#86bcb6", // udp_sndbuf
        "#ff9da7", // tcp_backlog
        "#8cd17d", // tcp_rcvq
        "#d37295", // tcp_zero_window
        "#a0cbe8", // tcp_ofo
        "#7b4ea3", // listen_other
        "#b6992d", // udp_mem
        "#d4a6c8", // udp_csum
        "#bab0ac", // softnet_squeeze (pressure)
        "#9d9da1", // tcp_prune_called (pressure)
        "#c7c7a6", // syn_cookies (pressure)
    ];

    /// <summary><c>#rrggbb</c>.</summary>
    public static string Hex(DropCategory category) => s_hex[category.Id % s_hex.Length];

    public static (byte Red, byte Green, byte Blue) Rgb(DropCategory category)
    {
        string hex = Hex(category);
        return (Convert.ToByte(hex.Substring(1, 2), 16), Convert.ToByte(hex.Substring(3, 2), 16), Convert.ToByte(hex.Substring(5, 2), 16));
    }
}
