using Microsoft.Extensions.Hosting;

namespace NetDrop.Tests.TestSupport;

/// <summary>An <see cref="IHostApplicationLifetime"/> without a host: records whether the application asked to stop.</summary>
internal sealed class RecordingLifetime : IHostApplicationLifetime
{
    public CancellationToken ApplicationStarted => CancellationToken.None;

    public CancellationToken ApplicationStopping => CancellationToken.None;

    public CancellationToken ApplicationStopped => CancellationToken.None;

    public bool StopRequested { get; private set; }

    public void StopApplication() => StopRequested = true;
}
