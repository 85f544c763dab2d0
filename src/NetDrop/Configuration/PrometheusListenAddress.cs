using System.Globalization;
using System.Net;

namespace NetDrop.Configuration;

/// <summary>
/// Where <c>/metrics</c> is served: <c>HOST:PORT</c> as <c>--prometheus-listen</c> and <c>prometheus.listen</c> take it
/// (<c>0.0.0.0:9464</c>, <c>127.0.0.1:9464</c>, <c>[::1]:9464</c>, or <c>:9464</c> for every address).
/// </summary>
internal sealed record PrometheusListenAddress(string Host, int Port)
{
    /// <summary>The host part that listens on every address (HttpListener's strong wildcard).</summary>
    public const string AnyHost = "+";

    /// <summary>Parses <c>HOST:PORT</c>; the host may be empty, <c>*</c>, <c>0.0.0.0</c> or <c>[::]</c> for every address.</summary>
    public static bool TryParse(string text, out PrometheusListenAddress? address)
    {
        address = null;
        int colon = text.LastIndexOf(':');
        if (colon < 0 ||
            !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port) ||
            port is < 1 or > 65535)
        {
            return false;
        }

        string host = text[..colon];
        if (host is "" or "*" or "0.0.0.0" or "[::]")
        {
            address = new PrometheusListenAddress(AnyHost, port);
            return true;
        }

        bool bracketed = host.StartsWith('[') && host.EndsWith(']');
        if (bracketed ? IPAddress.TryParse(host[1..^1], out _) : IPAddress.TryParse(host, out _) || Uri.CheckHostName(host) == UriHostNameType.Dns)
        {
            address = new PrometheusListenAddress(host, port);
            return true;
        }

        return false;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{(Host == AnyHost ? "0.0.0.0" : Host)}:{Port}");
}
