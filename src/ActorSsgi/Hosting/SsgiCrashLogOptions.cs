namespace ActorSsgi.Hosting;

/// <summary>
/// How handler crashes are logged, bound from <c>ActorSsgi:CrashLog</c>. Every crash is logged once, by the
/// supervisor that decides its fate; this caps the full entries (with the exception's stack trace) per route, so a
/// client hammering a failing route cannot flood the disk. Crashes over the cap are counted and summarised in one
/// Warning per route when its window ends.
/// </summary>
public sealed class SsgiCrashLogOptions
{
    /// <summary>
    /// Full Error entries (with the exception) per route per <see cref="Window"/>; the crashes after them are only
    /// counted. A route is the request path without the query (for a WebSocket, the session's path). Default 10;
    /// <c>0</c> logs summaries only; <see cref="int.MaxValue"/> removes the cap.
    /// </summary>
    public int MaxStackTracesPerMinutePerRoute { get; set; } = 10;

    /// <summary>
    /// How many distinct routes are tracked at once. Crashes on further routes share one budget (reported as the
    /// route <c>(other routes)</c>), so a scan of random paths cannot grow memory. Default 1,000.
    /// </summary>
    public int MaxRoutes { get; set; } = 1_000;

    /// <summary>The length of a route's budget window. Default one minute.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}
