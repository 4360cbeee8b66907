using System.Diagnostics;
using System.Diagnostics.Tracing;
using System.Globalization;
using System.Runtime;

namespace ActorSsgi.ClusterReference;

/// <summary>
/// Writes one line per GC pause of this process to stderr, <c>gcpause START DURATION GEN REASON</c> with START and DURATION
/// in <see cref="Stopwatch"/> ticks and REASON the runtime's GC reason code (0 small allocation, 1 induced, 4 large
/// allocation, 6 out of space for small objects; see the GCStart event) (CLOCK_MONOTONIC on Linux, so comparable with other processes' timestamps), so that
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
    private int _reason = -1;

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
    public static bool TryParse(string line, out long start, out long duration, out int generation, out int reason)
    {
        start = duration = 0;
        generation = reason = -1;
        if (!line.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var parts = line[Prefix.Length..].Split(' ');
        return parts.Length == 4
            && long.TryParse(parts[0], CultureInfo.InvariantCulture, out start)
            && long.TryParse(parts[1], CultureInfo.InvariantCulture, out duration)
            && int.TryParse(parts[2], CultureInfo.InvariantCulture, out generation)
            && int.TryParse(parts[3], CultureInfo.InvariantCulture, out reason);
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
            case GcStart when e.PayloadNames is { } names:
                _generation = Payload(e, names, "Depth");
                _reason = Payload(e, names, "Reason");
                break;
            case RestartEeEnd when _suspendedAt != 0:
                var end = ToStopwatch(e.TimeStamp);
                _sink?.Invoke(string.Create(CultureInfo.InvariantCulture, $"{Prefix}{_suspendedAt} {end - _suspendedAt} {_generation} {_reason}"));
                _suspendedAt = 0;
                _generation = _reason = -1;
                break;
        }
    }

    private static int Payload(EventWrittenEventArgs e, System.Collections.ObjectModel.ReadOnlyCollection<string> names, string name) =>
        names.IndexOf(name) is >= 0 and var i ? Convert.ToInt32(e.Payload![i], CultureInfo.InvariantCulture) : -1;

    private long ToStopwatch(DateTime timestamp) =>
        _stopwatchAtStart + (long)((timestamp.ToUniversalTime().Ticks - _utcTicksAtStart) * (Stopwatch.Frequency / (double)TimeSpan.TicksPerSecond));
}
