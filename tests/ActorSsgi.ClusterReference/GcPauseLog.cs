using System.Diagnostics;
using System.Diagnostics.Tracing;
using System.Globalization;
using System.Runtime;

namespace ActorSsgi.ClusterReference;

/// <summary>
/// Writes one line per GC pause of this process to stderr, <c>gcpause START DURATION GEN</c> with START and DURATION
/// in <see cref="Stopwatch"/> ticks (CLOCK_MONOTONIC on Linux, so comparable with other processes' timestamps), so that
/// a latency run can tell which slow messages overlapped a pause in which process. A pause is the runtime's
/// suspend-begin to restart-end, the time managed threads stand still; with concurrent GC off (the demo's setting)
/// every collection is one such pause.
/// </summary>
public sealed class GcPauseLog : EventListener
{
    /// <summary>The prefix of every pause line.</summary>
    public const string Prefix = "gcpause ";

    private const string RuntimeSource = "Microsoft-Windows-DotNETRuntime";
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private const int GcStart = 1;
    private const int RestartEeEnd = 3;
    private const int SuspendEeBegin = 9;

    private static int s_started;
    // Kept reachable for the life of the process: a collected listener stops receiving events.
    private static GcPauseLog? s_listener;

    // Event timestamps are DateTimes; this pair maps them onto the monotonic clock the latency probes use.
    private readonly long _stopwatchAtStart = Stopwatch.GetTimestamp();
    private readonly long _utcTicksAtStart = DateTime.UtcNow.Ticks;
    private readonly Action<string> _sink;
    private long _suspendedAt;
    private int _generation = -1;

    private GcPauseLog(Action<string> sink) => _sink = sink;

    /// <summary>
    /// Starts logging (once per process) and writes the GC mode, so a run shows which one it measured.
    /// </summary>
    /// <param name="sink">Where the lines go; stderr when <c>null</c>.</param>
    public static void Start(Action<string>? sink = null)
    {
        if (Interlocked.Exchange(ref s_started, 1) == 0)
        {
            sink ??= Console.Error.WriteLine;
            s_listener = new GcPauseLog(sink);
            sink($"gcmode server={GCSettings.IsServerGC} latency={GCSettings.LatencyMode} pid={Environment.ProcessId}");
        }
    }

    /// <summary>Parses a line written by this class; false for any other line.</summary>
    public static bool TryParse(string line, out long start, out long duration, out int generation)
    {
        start = duration = 0;
        generation = -1;
        if (!line.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var parts = line[Prefix.Length..].Split(' ');
        return parts.Length == 3
            && long.TryParse(parts[0], CultureInfo.InvariantCulture, out start)
            && long.TryParse(parts[1], CultureInfo.InvariantCulture, out duration)
            && int.TryParse(parts[2], CultureInfo.InvariantCulture, out generation);
    }

    /// <inheritdoc />
    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == RuntimeSource)
        {
            EnableEvents(eventSource, EventLevel.Informational, GcKeyword);
        }
    }

    /// <inheritdoc />
    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        switch (e.EventId)
        {
            case SuspendEeBegin:
                _suspendedAt = ToStopwatch(e.TimeStamp);
                break;
            case GcStart when e.PayloadNames?.IndexOf("Depth") is >= 0 and var depth:
                _generation = Convert.ToInt32(e.Payload![depth], CultureInfo.InvariantCulture);
                break;
            case RestartEeEnd when _suspendedAt != 0:
                var end = ToStopwatch(e.TimeStamp);
                _sink?.Invoke(string.Create(CultureInfo.InvariantCulture, $"{Prefix}{_suspendedAt} {end - _suspendedAt} {_generation}"));
                _suspendedAt = 0;
                _generation = -1;
                break;
        }
    }

    private long ToStopwatch(DateTime timestamp) =>
        _stopwatchAtStart + (long)((timestamp.ToUniversalTime().Ticks - _utcTicksAtStart) * (Stopwatch.Frequency / (double)TimeSpan.TicksPerSecond));
}
