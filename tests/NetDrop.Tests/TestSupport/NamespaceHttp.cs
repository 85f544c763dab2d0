using System.Net;
using System.Net.Sockets;
using System.Text;

namespace NetDrop.Tests.TestSupport;

/// <summary>
/// Plain HTTP/1.0 GETs to a server listening on a test namespace's loopback. The socket is created on a thread that
/// has entered the namespace (<see cref="NetworkNamespace.Run{T}"/>), which an HttpClient's pooled connections cannot
/// promise; HTTP/1.0 with Connection: close keeps the reader to "read until the server closes".
/// </summary>
internal static class NamespaceHttp
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(15);

    /// <summary>Returns the status code and body of <c>GET http://127.0.0.1:PORT/PATH</c> inside the namespace.</summary>
    public static (int Status, string Body) Get(NetworkNamespace networkNamespace, int port, string pathAndQuery) =>
        networkNamespace.Run(() =>
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)
            {
                ReceiveTimeout = (int)s_timeout.TotalMilliseconds,
                SendTimeout = (int)s_timeout.TotalMilliseconds,
            };
            socket.Connect(new IPEndPoint(IPAddress.Loopback, port));
            socket.Send(Encoding.ASCII.GetBytes($"GET {pathAndQuery} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"));
            using var response = new MemoryStream();
            byte[] buffer = new byte[16384];
            int read;
            while ((read = socket.Receive(buffer)) > 0)
            {
                response.Write(buffer, 0, read);
            }

            string text = Encoding.UTF8.GetString(response.ToArray());
            int headerEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            string statusLine = text[..text.IndexOf("\r\n", StringComparison.Ordinal)];
            int status = int.Parse(statusLine.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
            return (status, headerEnd < 0 ? "" : text[(headerEnd + 4)..]);
        });

    /// <summary>Connects and returns true when something listens on the namespace's loopback at <paramref name="port"/>.</summary>
    public static bool IsListening(NetworkNamespace networkNamespace, int port) =>
        networkNamespace.Run(() =>
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                socket.Connect(new IPEndPoint(IPAddress.Loopback, port));
                return true;
            }
            catch (SocketException)
            {
                return false;
            }
        });
}
