using System.Runtime.CompilerServices;
using OpenTelemetry.Logs;

namespace NetDrop.Sinks.Telemetry;

/// <summary>
/// A copy of a <see cref="LogRecord"/> that the SDK will never reuse, so it can be kept after the export call.
/// </summary>
/// <remarks>
/// NOTE: the SDK pools log records (a thread-static one per logging thread, or a shared pool under a batch processor)
/// and hands each to processors only for the duration of the call; it offers no public constructor or copy. Its own
/// in-memory exporter keeps records with the internal <c>LogRecord.Copy()</c> (Logs/LogRecord.cs: it buffers scopes,
/// copies the data, the ILogger data and the attribute list, and keeps the Logger the OTLP serializer needs for the
/// instrumentation scope; the copy's source is <c>CreatedManually</c>, which no pool takes back). An
/// <see cref="UnsafeAccessorAttribute"/> reaches it without reflection, so Native AOT keeps it. If an SDK upgrade renames
/// it, the first CRIT record throws <see cref="MissingMethodException"/>; RetainingLogRecordProcessorTests fail first.
/// </remarks>
internal static class LogRecordCopy
{
    [UnsafeAccessor(UnsafeAccessorKind.Method, Name = "Copy")]
    public static extern LogRecord Of(LogRecord record);
}
