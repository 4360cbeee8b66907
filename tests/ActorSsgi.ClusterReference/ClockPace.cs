using System.Diagnostics;

namespace ActorSsgi.ClusterReference;

/// <summary>
/// The fixed-rate sender's pacing, shared by the reference's publisher and ActorSsgi.ClusterTests' LatencyProbe so that
/// both rows of the comparison offer exactly the same load: message <c>i</c> is due at <c>start + i / rate</c>, measured
/// against the clock rather than by sleeping per message, so a late sender catches up in a burst.
/// </summary>
public static class ClockPace
{
    /// <summary>Waits until message <paramref name="index"/> of a run that began at <paramref name="start"/> is due.</summary>
    /// <param name="start">The run's start, a <see cref="Stopwatch.GetTimestamp"/> value.</param>
    /// <param name="index">The message's sequence number, from 0.</param>
    /// <param name="rate">Messages per second.</param>
    public static Task UntilDue(long start, int index, int rate)
    {
        var due = start + (long)(index * (double)Stopwatch.Frequency / rate);
        var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
        // Below a millisecond a timer cannot wait that precisely: send now.
        return wait > TimeSpan.FromMilliseconds(1) ? Task.Delay(wait) : Task.CompletedTask;
    }
}
