using NetDrop.Kernel;
using Polly;
using Polly.CircuitBreaker;

namespace NetDrop.Sources;

/// <summary>
/// Reads one source through its resilience pipeline and records the outcome: read, failed (with errno), or skipped
/// because its circuit is open. Any outcome but "read" marks the source's categories unavailable in the sample.
/// </summary>
internal sealed class SourceRunner
{
    private readonly ISampleSource _source;
    private readonly ResiliencePipeline _pipeline;

    public SourceRunner(ISampleSource source, ResiliencePipeline pipeline)
    {
        _source = source;
        _pipeline = pipeline;
    }

    public ISampleSource Source => _source;

    public void Read(Sample sample, SourceHealth health)
    {
        try
        {
            // PERF: a static lambda with explicit state: Polly runs it with a pooled context and no closure.
            _pipeline.Execute(static state => state.Source.Read(state.Sample), (Source: _source, Sample: sample));
            health.Report(sample, _source.Id, ok: true, 0, _source.Description);
        }
        catch (KernelSourceException ex)
        {
            health.Report(sample, _source.Id, ok: false, ex.Errno, _source.Description);
        }
        catch (BrokenCircuitException)
        {
            sample.SetSourceOk(_source.Id, false); // already said once, when the circuit opened
        }
    }
}
