using System.Runtime.CompilerServices;
using ActorSsgi.Hosting;
using Microsoft.Extensions.Logging;

namespace ActorSsgi.Dispatch;

/// <summary>
/// The one place a supervisor's crash entries go through: the first <see cref="SsgiCrashLogOptions.MaxStackTracesPerMinutePerRoute"/>
/// crashes of a route in its window are logged at Error with the exception, the rest only counted, and one Warning per
/// route summarises them when the window ends (on that route's next crash, on the sweep timer, or when the supervisor
/// stops). Only crashes come here, so the lock costs nothing on a request that does not fail.
/// </summary>
internal sealed class CrashLog : IDisposable
{
    /// <summary>The route of crashes whose path is not known (a failure outside any request or session).</summary>
    public const string UnknownRoute = "(unknown)";

    /// <summary>The shared budget of crashes on routes beyond <see cref="SsgiCrashLogOptions.MaxRoutes"/>.</summary>
    public const string OtherRoutes = "(other routes)";

    // The request path travels with the exception from the failing actor to its supervisor, whose decider sees only
    // the exception. A weak table leaves the handler's exception untouched and lets it be collected with its entry.
    private static readonly ConditionalWeakTable<Exception, string> s_routes = new();

    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly int _max;
    private readonly int _maxRoutes;
    private readonly TimeSpan _window;
    private readonly Dictionary<string, RouteWindow> _routes = new(StringComparer.Ordinal);
    private ITimer? _sweep;
    private bool _disposed;

    public CrashLog(ILogger logger, SsgiCrashLogOptions? options = null, TimeProvider? time = null)
    {
        options ??= new SsgiCrashLogOptions();
        _logger = logger;
        _time = time ?? TimeProvider.System;
        _max = Math.Max(0, options.MaxStackTracesPerMinutePerRoute);
        _maxRoutes = Math.Max(1, options.MaxRoutes);
        _window = options.Window > TimeSpan.Zero ? options.Window : TimeSpan.FromMinutes(1);
    }

    /// <summary>
    /// Records the route an exception escaped from. Always <c>false</c>: it is meant for an exception filter
    /// (<c>catch (Exception e) when (CrashLog.Tag(e, path))</c>), which runs only when something throws and leaves
    /// the exception to propagate unchanged.
    /// </summary>
    public static bool Tag(Exception error, string? route)
    {
        if (route is not null)
        {
            s_routes.AddOrUpdate(error, route);
        }

        return false;
    }

    /// <summary>The route <see cref="Tag"/> recorded for <paramref name="error"/> (or its inner exception), if any.</summary>
    public static string? RouteOf(Exception error) =>
        s_routes.TryGetValue(error, out var route) ? route
        : error.InnerException is { } inner && s_routes.TryGetValue(inner, out route) ? route
        : null;

    /// <summary>Logs one crash: at Error with <paramref name="error"/> while the route's budget lasts, else counted.</summary>
    /// <param name="route">The request or session path; <c>null</c> when not known.</param>
    /// <param name="error">The handler's exception.</param>
    /// <param name="decision">What the supervisor does about it, for the Error entry.</param>
    public void Report(string? route, Exception error, string decision)
    {
        route ??= UnknownRoute;
        Summary? ended = null;
        bool full;
        lock (_routes)
        {
            var now = _time.GetUtcNow();
            if (!_routes.TryGetValue(route, out var window))
            {
                if (_routes.Count >= _maxRoutes && !_routes.TryGetValue(route = OtherRoutes, out window))
                {
                    // Make room for the shared budget: the table holds at most MaxRoutes entries.
                    EvictOne();
                }

                if (window is null)
                {
                    window = new RouteWindow(now);
                    _routes[route] = window;
                }
            }

            if (now - window.Start >= _window)
            {
                ended = window.Roll(route, now);
            }

            full = window.Logged < _max;
            if (full)
            {
                window.Logged++;
            }
            else
            {
                window.Suppressed++;
                window.Last = error;
            }

            _sweep ??= _disposed ? null : _time.CreateTimer(static state => ((CrashLog)state!).Sweep(final: false), this, _window, _window);
        }

        if (ended is { } summary)
        {
            Write(summary);
        }

        if (full)
        {
            _logger.LogError(error, "{Decision} (route {Route})", decision, route);
        }
    }

    /// <summary>Summarises every window that has ended (all of them when <paramref name="final"/>) and forgets idle routes.</summary>
    public void Sweep(bool final)
    {
        List<Summary>? ended = null;
        lock (_routes)
        {
            var now = _time.GetUtcNow();
            foreach (var (route, window) in _routes)
            {
                if (final || now - window.Start >= _window)
                {
                    if (window.Roll(route, now) is { } summary)
                    {
                        (ended ??= []).Add(summary);
                    }
                    else
                    {
                        // Nothing suppressed and the window is over: the next crash starts a fresh one.
                        _routes.Remove(route);
                    }
                }
            }
        }

        foreach (var summary in ended ?? [])
        {
            Write(summary);
        }
    }

    /// <summary>Writes the summaries still pending (shutdown) and stops the sweep timer.</summary>
    public void Dispose()
    {
        lock (_routes)
        {
            _disposed = true;
            _sweep?.Dispose();
            _sweep = null;
        }

        Sweep(final: true);
    }

    private void EvictOne()
    {
        // Prefer a route with nothing to report; otherwise the oldest window, whose count is reported first.
        string? victim = null;
        RouteWindow? oldest = null;
        foreach (var (route, window) in _routes)
        {
            if (window.Suppressed == 0)
            {
                _routes.Remove(route);
                return;
            }

            if (oldest is null || window.Start < oldest.Start)
            {
                (victim, oldest) = (route, window);
            }
        }

        if (victim is not null && oldest!.Roll(victim, _time.GetUtcNow()) is { } summary)
        {
            _routes.Remove(victim);
            Write(summary);
        }
    }

    private void Write(Summary summary) =>
        _logger.LogWarning(
            "Suppressed {Count} further crashes on {Route} in the last {Seconds} s (last: {ExceptionType}: {ExceptionMessage})",
            summary.Count,
            summary.Route,
            // Every counted crash fell inside its window, so a summary covers at most one window.
            Math.Round((summary.Length < _window ? summary.Length : _window).TotalSeconds),
            summary.Last.GetType().Name,
            summary.Last.Message);

    private readonly record struct Summary(string Route, long Count, TimeSpan Length, Exception Last);

    private sealed class RouteWindow(DateTimeOffset start)
    {
        public DateTimeOffset Start = start;
        public int Logged;
        public long Suppressed;
        public Exception? Last;

        /// <summary>Starts the next window at <paramref name="now"/>; the summary of this one if it suppressed anything.</summary>
        public Summary? Roll(string route, DateTimeOffset now)
        {
            Summary? summary = Suppressed > 0 ? new Summary(route, Suppressed, now - Start, Last!) : null;
            (Start, Logged, Suppressed, Last) = (now, 0, 0, null);
            return summary;
        }
    }
}
