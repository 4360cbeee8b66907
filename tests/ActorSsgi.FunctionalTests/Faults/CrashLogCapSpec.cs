using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace ActorSsgi.FunctionalTests.Faults;

/// <summary>
/// Issue 16 item 2: one Error entry (with the exception) per crash, at most <c>MaxStackTracesPerMinutePerRoute</c>
/// of them per route in a window, and one Warning per route that counts the rest when the window ends. The window is
/// driven by a fake clock registered as the host's <see cref="TimeProvider"/>; the crashes are real HTTP requests.
/// </summary>
[Trait("Category", "Faults")]
public sealed class CrashLogCapSpec : IAsyncLifetime
{
    private const int Cap = 10;
    private readonly FakeTimeProvider _time = new();
    private FaultServer _server = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await FaultServer.StartAsync(s => s.AddSingleton<TimeProvider>(_time), $"ActorSsgi:CrashLog:MaxStackTracesPerMinutePerRoute={Cap}");
        _client = _server.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    private IReadOnlyList<FaultLogEntry> CrashErrors(string route) =>
        _server.Log.Where(e => e.Level == LogLevel.Error && e.Exception is InvalidOperationException && e.Exception.Message == $"The {route} route fails on purpose.").ToArray();

    private IReadOnlyList<FaultLogEntry> Summaries() =>
        _server.Log.Where(e => e.Level == LogLevel.Warning && e.Message.StartsWith("Suppressed", StringComparison.Ordinal)).ToArray();

    private async Task CrashAsync(string pathAndQuery, int times)
    {
        for (var i = 0; i < times; i++)
        {
            using var response = await _client.GetAsync(pathAndQuery);
            Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task Fifty_crashes_on_one_route_log_the_cap_in_full_and_one_summary_of_the_rest_when_the_window_ends()
    {
        // The query is not part of the route: all 50 share /throw's budget.
        await CrashAsync("/throw", 25);
        await CrashAsync("/throw?n=2", 25);
        await CrashAsync("/throw/other", 3);

        // The supervisor logs after the 500 went out; wait for all 53 decisions (10 + 3 written, 40 counted).
        await Fixtures.Eventually.Until(() => Task.FromResult(CrashErrors("/throw").Count + CrashErrors("/throw/other").Count), n => n >= Cap + 3, TimeSpan.FromSeconds(10), "the crash entries");
        Assert.Equal(Cap, CrashErrors("/throw").Count);
        Assert.All(CrashErrors("/throw"), e => Assert.Contains("route /throw)", e.Message, StringComparison.Ordinal));
        Assert.Equal(3, CrashErrors("/throw/other").Count);
        Assert.Empty(Summaries());

        _time.Advance(TimeSpan.FromSeconds(61));

        var summaries = await Fixtures.Eventually.Until(() => Task.FromResult(Summaries()), s => s.Count >= 1, TimeSpan.FromSeconds(10), "the summary");
        var summary = Assert.Single(summaries);
        Assert.Equal(
            "Suppressed 40 further crashes on /throw in the last 60 s (last: InvalidOperationException: The /throw route fails on purpose.)",
            summary.Message);
        Assert.Null(summary.Exception);

        // A new window: the route's full budget again.
        await CrashAsync("/throw", 1);
        await Fixtures.Eventually.Until(() => Task.FromResult(CrashErrors("/throw").Count), n => n >= Cap + 1, TimeSpan.FromSeconds(10), "the first crash of the new window");
    }

    [Fact(Timeout = 30_000)]
    public async Task Crashes_still_counted_at_shutdown_are_summarised_then()
    {
        await CrashAsync("/throw", Cap + 5);
        await Fixtures.Eventually.Until(() => Task.FromResult(CrashErrors("/throw").Count), n => n >= Cap, TimeSpan.FromSeconds(10), "the crash entries");

        await _server.StopAsync();

        var summary = Assert.Single(Summaries());
        Assert.StartsWith("Suppressed 5 further crashes on /throw in the last 0 s", summary.Message, StringComparison.Ordinal);
    }
}
