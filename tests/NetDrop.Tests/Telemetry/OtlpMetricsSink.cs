using System.Net;
using NetDrop.Tests.TestSupport;

namespace NetDrop.Tests.Telemetry;

/// <summary>
/// An OTLP/HTTP metrics endpoint on loopback for tests that need metric values (the Aspire Dashboard's API has none,
/// TestSupport/ASPIRE.md): every <c>POST /v1/metrics</c> is answered 200 with an empty ExportMetricsServiceResponse
/// and its data points are kept, decoded by <see cref="OtlpMetricsDecoder"/>, numbered by arrival.
/// </summary>
internal sealed class OtlpMetricsSink : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly List<ExportedDataPoint> _points = [];
    private readonly Task _serving;
    private int _exports;

    public OtlpMetricsSink()
    {
        Endpoint = $"http://127.0.0.1:{AspireDashboard.FreeLoopbackPort()}";
        _listener.Prefixes.Add(Endpoint + "/");
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    /// <summary>The base URL; give <c>{Endpoint}/v1/metrics</c> to OTEL_EXPORTER_OTLP_METRICS_ENDPOINT.</summary>
    public string Endpoint { get; }

    /// <summary>Export requests received so far.</summary>
    public int Exports => Volatile.Read(ref _exports);

    /// <summary>Every data point received so far, in arrival order.</summary>
    public IReadOnlyList<ExportedDataPoint> Points()
    {
        lock (_points)
        {
            return [.. _points];
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        await _serving.ConfigureAwait(false);
        _listener.Close();
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

            using (context.Response)
            {
                if (context.Request.HttpMethod != "POST" || context.Request.Url?.AbsolutePath != "/v1/metrics")
                {
                    context.Response.StatusCode = 404;
                    continue;
                }

                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body).ConfigureAwait(false);
                lock (_points)
                {
                    _points.AddRange(OtlpMetricsDecoder.Decode(body.GetBuffer().AsSpan(0, (int)body.Length), _exports));
                    _exports++;
                }

                context.Response.StatusCode = 200;
                context.Response.ContentType = "application/x-protobuf";
                context.Response.ContentLength64 = 0;
            }
        }
    }
}
