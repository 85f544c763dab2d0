using System.Net;

namespace NetDrop.Tests.Telemetry;

/// <summary>
/// An OTLP/HTTP endpoint on loopback that answers every request 401 (a wrong token) until <see cref="ForwardTo"/>,
/// then passes each request on to a real collector and its answer back: the token "fixed" while the agent runs.
/// </summary>
internal sealed class RejectingThenForwardingEndpoint : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly HttpClient _client = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };
    private readonly Task _serving;
    private Uri? _target;
    private int _rejected;
    private int _forwarded;

    public RejectingThenForwardingEndpoint(int port)
    {
        Endpoint = $"http://127.0.0.1:{port}";
        _listener.Prefixes.Add(Endpoint + "/");
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public string Endpoint { get; }

    public int Rejected => Volatile.Read(ref _rejected);

    public int Forwarded => Volatile.Read(ref _forwarded);

    /// <summary>From now on, requests go to <paramref name="collectorBase"/> (same path: <c>/v1/logs</c>, <c>/v1/metrics</c>).</summary>
    public void ForwardTo(string collectorBase) => Volatile.Write(ref _target, new Uri(collectorBase));

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        await _serving.ConfigureAwait(false);
        _listener.Close();
        _client.Dispose();
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return; // stopped
            }

            try
            {
                if (Volatile.Read(ref _target) is not { } target)
                {
                    Interlocked.Increment(ref _rejected);
                    context.Response.StatusCode = 401;
                }
                else
                {
                    await ForwardAsync(context, target).ConfigureAwait(false);
                    Interlocked.Increment(ref _forwarded);
                }
            }
            catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException)
            {
                context.Response.StatusCode = 502; // the collector did not answer: the agent sees a failed export
            }
            finally
            {
                context.Response.Close();
            }
        }
    }

    private async Task ForwardAsync(HttpListenerContext context, Uri target)
    {
        using var body = new MemoryStream();
        await context.Request.InputStream.CopyToAsync(body).ConfigureAwait(false);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(target, context.Request.Url!.AbsolutePath))
        {
            Content = new ByteArrayContent(body.ToArray()),
        };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", context.Request.ContentType ?? "application/x-protobuf");
        using HttpResponseMessage answer = await _client.SendAsync(request).ConfigureAwait(false);
        byte[] reply = await answer.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
        context.Response.StatusCode = (int)answer.StatusCode;
        context.Response.ContentType = answer.Content.Headers.ContentType?.ToString();
        await context.Response.OutputStream.WriteAsync(reply).ConfigureAwait(false);
    }
}
