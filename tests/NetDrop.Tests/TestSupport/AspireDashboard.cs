using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text;
using System.Text.Json;

namespace NetDrop.Tests.TestSupport;

/// <summary>
/// A real OTLP backend for end-to-end tests: the standalone Aspire Dashboard from the NuGet package
/// <c>Aspire.Dashboard.Sdk.linux-x64</c>, unsecured, with OTLP/gRPC, OTLP/HTTP and the frontend on free loopback
/// ports, and its telemetry read back through the dashboard's own HTTP API (<c>/api/telemetry/*</c>).
/// </summary>
/// <remarks>
/// How it is started, which settings matter and what the API returns: TestSupport/ASPIRE.md.
/// The process runs from the package cache (the csproj writes that folder into an assembly attribute);
/// nothing is copied into the test output.
/// </remarks>
public sealed class AspireDashboard : IDisposable
{
    /// <summary>The assembly metadata key the test project writes the dashboard's folder under.</summary>
    public const string DirectoryMetadataKey = "AspireDashboardDirectory";

    private const string ExecutableName = "Aspire.Dashboard";
    private const int OutputLimit = 64 * 1024;

    private static readonly TimeSpan s_defaultStartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan s_defaultWaitTimeout = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan s_pollInterval = TimeSpan.FromMilliseconds(100);

    private readonly Process _process;
    private readonly StringBuilder _output;
    private readonly HttpClient _http;
    private readonly string _home;
    private bool _disposed;

    private AspireDashboard(Process process, StringBuilder output, string home, string frontendEndpoint, string grpcEndpoint, string httpEndpoint)
    {
        _process = process;
        _output = output;
        _home = home;
        FrontendEndpoint = frontendEndpoint;
        GrpcEndpoint = grpcEndpoint;
        HttpEndpoint = httpEndpoint;
        // Loopback only; no proxy from the environment may route the API calls elsewhere.
        _http = new HttpClient(new SocketsHttpHandler { UseProxy = false })
        {
            BaseAddress = new Uri(frontendEndpoint),
            Timeout = TimeSpan.FromSeconds(10),
        };
    }

    /// <summary>The frontend and telemetry API, e.g. <c>http://127.0.0.1:40001</c>.</summary>
    public string FrontendEndpoint { get; }

    /// <summary>OTLP/gRPC, e.g. <c>http://127.0.0.1:40002</c>: give it to an exporter with protocol grpc.</summary>
    public string GrpcEndpoint { get; }

    /// <summary>
    /// OTLP/HTTP (protobuf), e.g. <c>http://127.0.0.1:40003</c>: the base URL; signals go to <c>/v1/logs</c>,
    /// <c>/v1/metrics</c> and <c>/v1/traces</c> under it.
    /// </summary>
    public string HttpEndpoint { get; }

    /// <summary>From process start to the API answering and both OTLP ports accepting connections.</summary>
    public TimeSpan StartupTime { get; private set; }

    /// <summary>The process id, for diagnostics (Dispose kills its whole tree).</summary>
    public int ProcessId => _process.Id;

    /// <summary>What the dashboard wrote to stdout and stderr so far (the last 64 KiB), for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>The dashboard's folder inside the NuGet package cache (<c>tools/</c> of the package).</summary>
    public static string PackageDirectory =>
        typeof(AspireDashboard).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(a => a.Key == DirectoryMetadataKey)?.Value
        ?? throw new InvalidOperationException(
            $"the test assembly has no [AssemblyMetadata(\"{DirectoryMetadataKey}\")]: see NetDrop.Tests.csproj");

    /// <summary>
    /// Starts the dashboard on three free loopback ports and waits, bounded by <paramref name="startTimeout"/>
    /// (60 s by default), until its API answers and both OTLP ports accept connections. Throws, with the
    /// dashboard's output, when it cannot start: callers fail rather than skip.
    /// </summary>
    /// <param name="grpcPort">A fixed OTLP/gRPC port (for an agent already exporting to it); free by default.</param>
    public static async Task<AspireDashboard> StartAsync(TimeSpan? startTimeout = null, int? grpcPort = null, CancellationToken cancellationToken = default)
    {
        string directory = PackageDirectory;
        string executable = Path.Join(directory, ExecutableName);
        if (!File.Exists(executable))
        {
            throw new FileNotFoundException(
                $"the Aspire Dashboard is not in the package cache (restore tests/NetDrop.Tests): {executable}", executable);
        }

        // A port picked free can be taken by someone else before the dashboard binds it; the dashboard then exits
        // at once, so one more attempt on fresh ports settles that race.
        const int Attempts = 3;
        for (int attempt = 1; ; attempt++)
        {
            AspireDashboard dashboard = Launch(directory, executable, grpcPort);
            try
            {
                await dashboard.WaitUntilReadyAsync(startTimeout ?? s_defaultStartTimeout, cancellationToken).ConfigureAwait(false);
                return dashboard;
            }
            catch (InvalidOperationException) when (attempt < Attempts && dashboard._process.HasExited)
            {
                dashboard.Dispose();
            }
            catch
            {
                dashboard.Dispose();
                throw;
            }
        }
    }

    /// <summary>
    /// <c>GET /api/telemetry/logs</c>: the stored log records in OTLP JSON,
    /// <c>{"data":{"resourceLogs":[...]},"totalCount":N,"returnedCount":N}</c>, oldest first.
    /// </summary>
    /// <param name="resource">A resource name (service.name), or null for all. An unknown name is a 404.</param>
    /// <param name="severity">Trace, Debug, Information, Warning, Error or Critical: that level and above.</param>
    /// <param name="limit">The newest this many (the dashboard's default is 200).</param>
    public Task<JsonDocument> GetLogsAsync(string? resource = null, string? severity = null, int? limit = null, CancellationToken cancellationToken = default)
    {
        var query = new List<string>();
        if (resource is not null)
        {
            query.Add("resource=" + Uri.EscapeDataString(resource));
        }

        if (severity is not null)
        {
            query.Add("severity=" + Uri.EscapeDataString(severity));
        }

        if (limit is int count)
        {
            query.Add("limit=" + count.ToString(CultureInfo.InvariantCulture));
        }

        string path = query.Count == 0 ? "/api/telemetry/logs" : "/api/telemetry/logs?" + string.Join('&', query);
        return GetJsonAsync(path, cancellationToken);
    }

    /// <summary>
    /// <c>GET /api/telemetry/resources</c>: every resource that sent telemetry,
    /// <c>[{"name":..,"instanceId":..,"displayName":..,"hasLogs":..,"hasTraces":..,"hasMetrics":..}]</c>.
    /// The API has no metric values: <c>hasMetrics</c> is all it says about metrics.
    /// </summary>
    public Task<JsonDocument> GetResourcesAsync(CancellationToken cancellationToken = default) =>
        GetJsonAsync("/api/telemetry/resources", cancellationToken);

    /// <summary>
    /// Polls <paramref name="fetch"/> every 100 ms until <paramref name="predicate"/> holds and returns that document
    /// (the caller disposes it); documents that don't match are disposed. A 404 (a resource filter naming a resource
    /// that has not arrived yet) counts as "not yet". Throws <see cref="TimeoutException"/> after
    /// <paramref name="timeout"/> (20 s by default) with the last document and the dashboard's output.
    /// </summary>
    public async Task<JsonDocument> WaitForAsync(
        Func<AspireDashboard, CancellationToken, Task<JsonDocument>> fetch,
        Func<JsonElement, bool> predicate,
        string description,
        TimeSpan? timeout = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fetch);
        ArgumentNullException.ThrowIfNull(predicate);
        TimeSpan limit = timeout ?? s_defaultWaitTimeout;
        var clock = Stopwatch.StartNew();
        string last = "(nothing fetched)";
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ThrowIfExited();
            try
            {
                JsonDocument document = await fetch(this, cancellationToken).ConfigureAwait(false);
                if (predicate(document.RootElement))
                {
                    return document;
                }

                last = document.RootElement.GetRawText();
                document.Dispose();
            }
            catch (HttpRequestException e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
                last = e.Message;
            }

            if (clock.Elapsed >= limit)
            {
                throw new TimeoutException(
                    $"the Aspire Dashboard did not show {description} within {limit.TotalSeconds:0.#} s.\n" +
                    $"Last answer: {Truncate(last, 4096)}\nDashboard output:\n{Output}");
            }

            await Task.Delay(s_pollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Waits until the logs API (optionally filtered by resource) returns something matching.</summary>
    public Task<JsonDocument> WaitForLogsAsync(Func<JsonElement, bool> predicate, string description, string? resource = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        WaitForAsync((d, ct) => d.GetLogsAsync(resource, cancellationToken: ct), predicate, description, timeout, cancellationToken);

    /// <summary>Waits until the resources API returns something matching.</summary>
    public Task<JsonDocument> WaitForResourcesAsync(Func<JsonElement, bool> predicate, string description, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        WaitForAsync((d, ct) => d.GetResourcesAsync(ct), predicate, description, timeout, cancellationToken);

    /// <summary>Kills the dashboard's whole process tree and waits (bounded) for it to go.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _http.Dispose();
        ProcessRunner.Stop(_process);
        try
        {
            Directory.Delete(_home, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp directory left behind is harmless.
        }
    }

    private static AspireDashboard Launch(string directory, string executable, int? grpcPort)
    {
        string frontend = "http://127.0.0.1:" + FreeLoopbackPort().ToString(CultureInfo.InvariantCulture);
        string grpc = "http://127.0.0.1:" + (grpcPort ?? FreeLoopbackPort()).ToString(CultureInfo.InvariantCulture);
        string http = "http://127.0.0.1:" + FreeLoopbackPort().ToString(CultureInfo.InvariantCulture);
        string home = Directory.CreateTempSubdirectory("netdrop-aspire-home-").FullName;

        var start = new ProcessStartInfo(executable)
        {
            WorkingDirectory = directory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };

        // Settings that could reach the dashboard from the test runner's environment (an Aspire AppHost's, a
        // developer's shell) are removed so only the ones below are in force; without OTEL_* the dashboard exports
        // no telemetry of its own anywhere.
        foreach (string key in start.Environment.Keys.ToList())
        {
            if (key.StartsWith("ASPIRE_", StringComparison.OrdinalIgnoreCase)
                || key.StartsWith("DOTNET_DASHBOARD_", StringComparison.OrdinalIgnoreCase)
                || key.StartsWith("DOTNET_RESOURCE_SERVICE_", StringComparison.OrdinalIgnoreCase)
                || key.StartsWith("Dashboard__", StringComparison.OrdinalIgnoreCase)
                || key.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase)
                || key.StartsWith("OTEL_", StringComparison.OrdinalIgnoreCase))
            {
                start.Environment.Remove(key);
            }
        }

        start.Environment["ASPNETCORE_URLS"] = frontend;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = grpc;
        start.Environment["ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"] = http;
        // Unsecured: no browser token for the frontend, no API key for OTLP or the telemetry API.
        start.Environment["ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS"] = "true";
        start.Environment["Dashboard__Frontend__AuthMode"] = "Unsecured";
        start.Environment["Dashboard__Otlp__AuthMode"] = "Unsecured";
        // The telemetry API (/api/telemetry/*) is on by default in 13.6; set anyway so the harness does not lean on
        // a default. The allow-anonymous switch above already makes it unsecured (it overrides Api:AuthMode).
        start.Environment["Dashboard__Api__Enabled"] = "true";
        start.Environment["Dashboard__Api__AuthMode"] = "Unsecured";
        // ASP.NET Core data protection writes a key ring under $HOME/.aspnet; a home of its own keeps the test
        // runner's home clean, and Dispose deletes it.
        start.Environment["HOME"] = home;

        var output = new StringBuilder();
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            process.Dispose();
            Directory.Delete(home, recursive: true);
            throw new InvalidOperationException($"could not start {executable}: {e.Message}", e);
        }

        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new AspireDashboard(process, output, home, frontend, grpc, http);
    }

    private async Task WaitUntilReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        string last = "(no answer yet)";
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ThrowIfExited();
            try
            {
                using HttpResponseMessage response = await _http.GetAsync(new Uri("/api/telemetry/resources", UriKind.Relative), cancellationToken).ConfigureAwait(false);
                last = $"HTTP {(int)response.StatusCode} from /api/telemetry/resources";
                if (response.IsSuccessStatusCode
                    && await AcceptsAsync(GrpcEndpoint, cancellationToken).ConfigureAwait(false)
                    && await AcceptsAsync(HttpEndpoint, cancellationToken).ConfigureAwait(false))
                {
                    StartupTime = clock.Elapsed;
                    return;
                }
            }
            catch (HttpRequestException e)
            {
                last = e.Message;
            }
            catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                last = "request timed out: " + e.Message;
            }

            if (clock.Elapsed >= timeout)
            {
                throw new TimeoutException(
                    $"the Aspire Dashboard was not ready within {timeout.TotalSeconds:0.#} s ({last}).\nDashboard output:\n{Output}");
            }

            await Task.Delay(s_pollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<JsonDocument> GetJsonAsync(string path, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using HttpResponseMessage response = await _http.GetAsync(new Uri(path, UriKind.Relative), cancellationToken).ConfigureAwait(false);
        string body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException(
                $"GET {path} answered {(int)response.StatusCode}: {Truncate(body, 1024)}", inner: null, response.StatusCode);
        }

        return JsonDocument.Parse(body);
    }

    private void ThrowIfExited()
    {
        if (_process.HasExited)
        {
            // The output handlers may still be draining; give them a moment so the message has the reason.
            _process.WaitForExit(TimeSpan.FromSeconds(2));
            throw new InvalidOperationException(
                $"the Aspire Dashboard exited with code {_process.ExitCode}.\nDashboard output:\n{Output}");
        }
    }

    private static async Task<bool> AcceptsAsync(string endpoint, CancellationToken cancellationToken)
    {
        var uri = new Uri(endpoint);
        using var client = new TcpClient(AddressFamily.InterNetwork);
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, uri.Port, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>A loopback TCP port nobody listens on right now.</summary>
    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
            if (output.Length > OutputLimit)
            {
                output.Remove(0, output.Length - OutputLimit);
            }
        }
    }

    private static string Truncate(string text, int length) =>
        text.Length <= length ? text : string.Concat(text.AsSpan(0, length), "…");
}
