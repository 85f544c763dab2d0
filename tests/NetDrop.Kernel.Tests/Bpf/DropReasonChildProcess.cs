using System.Globalization;
using NetDrop.Kernel.Bpf;

namespace NetDrop.Kernel.Tests.Bpf;

/// <summary>
/// The test assembly's entry point (the test host never calls it): <c>dotnet exec NetDrop.Kernel.Tests.dll
/// hold-drop-reasons FILE</c> opens a <see cref="DropReasonCounter"/>, writes "programId mapId" to FILE and waits
/// (at most 2 minutes) to be killed, so a test can SIGKILL a process that holds the program attached;
/// <c>open-drop-reasons</c> tries to open one (run without capabilities by the privilege test);
/// <c>measure-drop-reasons</c> prints the cost figures (<see cref="DropReasonMeasurement"/>).
/// </summary>
public static class DropReasonChildProcess
{
    public const string Verb = "hold-drop-reasons";

    /// <summary>Opens and closes a counter; prints "opened", or the refusal's <see cref="DropReasonsMissing"/> and message, exit 3.</summary>
    public const string OpenVerb = "open-drop-reasons";

    public static int Main(string[] args)
    {
        if (args is [DropReasonMeasurement.Verb])
        {
            return DropReasonMeasurement.Run(Console.Out);
        }

        if (args is [OpenVerb])
        {
            try
            {
                using DropReasonCounter opened = DropReasonCounter.Open();
                Console.WriteLine("opened");
                return 0;
            }
            catch (DropReasonsUnavailableException refusal)
            {
                Console.WriteLine($"{refusal.Missing}: {refusal.Message}");
                return 3;
            }
        }

        if (args is not [Verb, string file])
        {
            return 2;
        }

        using DropReasonCounter counter = DropReasonCounter.Open();
        string temporary = file + ".tmp";
        File.WriteAllText(temporary, string.Create(CultureInfo.InvariantCulture, $"{counter.ProgramId} {counter.MapId}"));
        File.Move(temporary, file);
        Console.In.ReadToEnd(); // the test's pipe: returns only when the test closed it or has gone
        return 1; // not killed
    }
}
