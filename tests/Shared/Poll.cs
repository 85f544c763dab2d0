using System.Diagnostics;

namespace NetDrop.Tests.Shared;

/// <summary>
/// Waits for a condition the test can observe (a row written, a link up, a series scraped) instead of pausing for a
/// fixed time: it returns as soon as the condition holds, and the bound only decides when to give up.
/// </summary>
internal static class Poll
{
    /// <summary>Re-checks <paramref name="condition"/> every <paramref name="everyMilliseconds"/> ms until it holds.</summary>
    /// <exception cref="TimeoutException">It did not hold within <paramref name="timeout"/>; the message names <paramref name="what"/>.</exception>
    public static void Until(Func<bool> condition, TimeSpan timeout, string what, int everyMilliseconds = 20)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"Waited {timeout} for {what}.");
            }

            Thread.Sleep(everyMilliseconds);
        }
    }
}
