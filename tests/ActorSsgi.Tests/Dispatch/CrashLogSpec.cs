using System.Collections.Concurrent;
using ActorSsgi.Dispatch;
using ActorSsgi.Hosting;
using ActorSsgi.TestKit.WebSockets;
using ActorSsgi.Tests.WebSockets;
using Microsoft.Extensions.Logging;

namespace ActorSsgi.Tests.Dispatch;

/// <summary>
/// The crash log's bounds that the HTTP fault suite (Faults/CrashLogCapSpec) does not reach: the table of routes
/// is capped (a scan of random paths shares one budget), and a WebSocket crash counts under its session's path.
/// </summary>
public sealed class CrashLogSpec : Akka.TestKit.Xunit2.TestKit
{
    [Fact]
    public void Crashes_on_routes_beyond_MaxRoutes_share_one_budget_and_one_summary()
    {
        var log = new Recorder();
        using var crashLog = new CrashLog(log.CreateLogger("t"), new SsgiCrashLogOptions { MaxStackTracesPerMinutePerRoute = 1, MaxRoutes = 3 });

        // A scan: 1,000 different paths, each crashing once.
        for (var i = 0; i < 1_000; i++)
        {
            crashLog.Report("/scan/" + i, new InvalidOperationException("scan " + i), "failed");
        }

        crashLog.Sweep(final: true);

        // The table holds MaxRoutes entries: the first three routes had their own budget (one full entry each), then
        // the shared "(other routes)" took the place of one with nothing to report. Every crash is written or counted.
        var errors = log.Entries.Where(e => e.Level == LogLevel.Error).ToArray();
        var warnings = log.Entries.Where(e => e.Level == LogLevel.Warning).ToArray();
        Assert.Equal(4, errors.Length);
        Assert.Contains(errors, e => e.Message.EndsWith("(route (other routes))", StringComparison.Ordinal));
        var summary = Assert.Single(warnings);
        Assert.StartsWith("Suppressed 996 further crashes on (other routes) in the last 0 s (last: InvalidOperationException: scan 999)", summary.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_crash_after_the_window_writes_the_summary_of_the_one_before_and_starts_a_full_budget()
    {
        var log = new Recorder();
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        using var crashLog = new CrashLog(log.CreateLogger("t"), new SsgiCrashLogOptions { MaxStackTracesPerMinutePerRoute = 2, Window = TimeSpan.FromSeconds(10) }, time);
        for (var i = 0; i < 5; i++)
        {
            crashLog.Report("/a", new InvalidOperationException("a"), "failed");
        }

        // Past the window, on the route's next crash: the count of the window that ended, then a full entry again.
        time.SetUtcNow(time.GetUtcNow() + TimeSpan.FromSeconds(10));
        crashLog.Report("/a", new InvalidOperationException("a"), "failed");

        Assert.Equal(
            [LogLevel.Error, LogLevel.Error, LogLevel.Warning, LogLevel.Error],
            log.Entries.Select(e => e.Level).ToArray());
        Assert.Equal("Suppressed 3 further crashes on /a in the last 10 s (last: InvalidOperationException: a)", log.Entries.ElementAt(2).Message);
    }

    [Fact]
    public async Task A_WebSocket_handler_crash_is_logged_once_at_Error_under_its_session_path()
    {
        var log = new Recorder();
        using var factory = LoggerFactory.Create(b => b.AddProvider(log));
        var kit = await SsgiWebSocketTestKit.CreateAsync(Sys, new WebSocketOnlyFramework((_, _, _, _, _, _, _, ws) =>
        {
            ws.OnReceive((_, _) => throw new InvalidOperationException("session crash on purpose"));
            return ws.Accept();
        }), loggerFactory: factory);

        await using var session = await kit.ConnectAsync("/ws/crashing", "room=1");
        await session.SendTextAsync("boom");
        Assert.Equal(1011, (await session.ReceiveAsync()).CloseCode);

        AwaitCondition(() => log.Entries.Any(e => e.Level == LogLevel.Error), TimeSpan.FromSeconds(5));
        var entry = Assert.Single(log.Entries, e => e.Level == LogLevel.Error);
        Assert.Equal("session crash on purpose", entry.Exception?.Message);
        Assert.EndsWith("(route /ws/crashing)", entry.Message, StringComparison.Ordinal);
    }

    private sealed record Entry(LogLevel Level, string Message, Exception? Exception);

    private sealed class Recorder : ILoggerProvider
    {
        private readonly ConcurrentQueue<Entry> _entries = new();

        public IReadOnlyCollection<Entry> Entries => _entries.ToArray();

        public ILogger CreateLogger(string categoryName) => new Logger(_entries);

        public void Dispose()
        {
        }

        private sealed class Logger(ConcurrentQueue<Entry> entries) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel))
                {
                    entries.Enqueue(new Entry(logLevel, formatter(state, exception), exception));
                }
            }
        }
    }
}
