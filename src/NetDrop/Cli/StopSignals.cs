using System.Runtime.InteropServices;

namespace NetDrop.Cli;

/// <summary>
/// SIGTERM, SIGINT and SIGHUP as a request to stop the monitor cleanly, from the first line of <c>Main</c> on.
/// </summary>
/// <remarks>
/// <para>
/// NOTE: the host's console lifetime installs its SIGTERM/SIGINT handlers only when it starts, after the configuration,
/// the baseline sample and the CSV are set up (tens of milliseconds for the AOT binary, more for <c>dotnet
/// netdrop.dll</c>); a signal before that killed the process, as SIGHUP (which no one handled) did at any time (exit
/// 129, no final fsync or push). Registered first thing, these handlers cancel the default action and record the stop:
/// before the host exists the command ends with exit 0 at its next step (the CSV, if opened, closed intact); once
/// the host runs, the stop is the host's (<c>StopApplication</c>): the interval in progress finishes, the CSV is
/// fsynced and the exporter gets its last push.
/// </para>
/// <para>
/// SIGHUP stops rather than reopening the CSV: the agent already follows a renamed or truncated log by itself, and a
/// terminal that hangs up should not leave a monitor running without it.
/// </para>
/// </remarks>
internal static class StopSignals
{
    private static readonly CancellationTokenSource s_stop = new();
    private static PosixSignalRegistration[] s_registrations = [];

    /// <summary>Cancelled when a stop signal arrives.</summary>
    public static CancellationToken Token => s_stop.Token;

    public static bool StopRequested => s_stop.IsCancellationRequested;

    /// <summary>Whether the handlers are registered (they stay so while referenced: a collected registration unregisters).</summary>
    public static bool IsInstalled => s_registrations.Length > 0;

    /// <summary>Registers the handlers; call once, as the first thing the process does.</summary>
    public static void Install()
    {
        s_registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal),
            PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal),
            PosixSignalRegistration.Create(PosixSignal.SIGHUP, OnSignal),
        ];
    }

    private static void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true; // never the default action (terminate): the monitor stops between intervals
        s_stop.Cancel();
    }
}
