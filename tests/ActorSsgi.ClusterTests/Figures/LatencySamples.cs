namespace ActorSsgi.ClusterTests.Figures;

/// <summary>
/// One latency run's raw data: for each message received, when it was sent and when it arrived, in
/// <see cref="System.Diagnostics.Stopwatch"/> ticks (CLOCK_MONOTONIC, one clock for every process on the box).
/// </summary>
public sealed record LatencySamples(long[] Sent, long[] Arrived, int Expected, double AchievedRate, bool TimedOut)
{
    public int Count => Sent.Length;

    /// <summary>For a chat run, how many of its own messages the sender got back (its room includes it); else null.</summary>
    public int? EchoedToSender { get; init; }

    /// <summary>When messages were missing after the wait: how many arrived once one more message followed them.</summary>
    public int? ArrivedAfterPoke { get; init; }

    /// <summary>Each message's one-way latency in milliseconds, in arrival order.</summary>
    public double[] Milliseconds() =>
        Sent.Select((sent, i) => (Arrived[i] - sent) * 1000.0 / System.Diagnostics.Stopwatch.Frequency).ToArray();

    /// <summary>The <paramref name="p"/> quantile (0-1) of <paramref name="values"/>; NaN when empty.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)(p * sorted.Count))];

    public override string ToString()
    {
        var sorted = Milliseconds().Order().ToArray();
        return $"{Count}/{Expected} received{(TimedOut ? " (timed out)" : "")}{(EchoedToSender is { } echoed ? $" ({echoed} back at the sender)" : "")}{(ArrivedAfterPoke is { } poked ? $" ({poked} of them only after one more message)" : "")}, achieved {AchievedRate:0} msg/s, " +
               $"p50 {Percentile(sorted, 0.50):0.00} ms, p99 {Percentile(sorted, 0.99):0.00} ms, max {(sorted.Length > 0 ? sorted[^1] : double.NaN):0.00} ms";
    }
}
