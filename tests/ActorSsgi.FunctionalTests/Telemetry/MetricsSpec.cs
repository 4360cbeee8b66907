using System.Diagnostics.Metrics;
using System.Net;
using ActorSsgi.FunctionalTests.Fixtures;
using ActorSsgi.FunctionalTests.WebSockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace ActorSsgi.FunctionalTests.Telemetry;

/// <summary>
/// The <c>ActorSsgi</c> meter under real traffic: HttpClient and ClientWebSocket against the demo on a real socket,
/// read with MetricCollector on the host's own IMeterFactory (so other tests' servers never count here).
/// </summary>
public sealed class MetricsSpec : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private DemoServer _server = null!;
    private IMeterFactory _meters = null!;

    public async Task InitializeAsync()
    {
        _server = await DemoServer.StartAsync();
        _meters = _server.Services.GetRequiredService<IMeterFactory>();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private MetricCollector<T> Collect<T>(string instrument)
        where T : struct => new(_meters, "ActorSsgi", instrument);

    /// <summary>One collection of an observable instrument: its measurements now.</summary>
    private static IReadOnlyList<CollectedMeasurement<long>> Observe(MetricCollector<long> collector)
    {
        collector.Clear();
        collector.RecordObservableInstruments();
        return collector.GetMeasurementSnapshot();
    }

    [Fact]
    public async Task Request_duration_is_recorded_per_request_with_the_semantic_convention_tags()
    {
        using var duration = Collect<double>("http.server.request.duration");
        using var crashes = Collect<long>("actorssgi.handler.crashes");
        using var client = _server.CreateClient();

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/plaintext")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.InternalServerError, (await client.GetAsync("/throw")).StatusCode);

        // Recorded when Kestrel disposes the request, just after the client has its response.
        await duration.WaitForMeasurementsAsync(4, Timeout);
        var all = duration.GetMeasurementSnapshot();
        var ok = all.Where(m => Equals(m.Tags["http.response.status_code"], 200)).ToList();
        Assert.Equal(3, ok.Count);
        Assert.All(ok, m =>
        {
            Assert.Equal("GET", m.Tags["http.request.method"]);
            Assert.Equal("1.1", m.Tags["network.protocol.version"]);
            Assert.Equal("http", m.Tags["url.scheme"]);
            Assert.InRange(m.Value, 0, Timeout.TotalSeconds);
        });
        Assert.Single(all, m => Equals(m.Tags["http.response.status_code"], 500));

        Assert.Equal("s", duration.Instrument!.Unit);
        Assert.False(string.IsNullOrEmpty(duration.Instrument.Description));

        // The throwing route is one crash, counted as an HTTP one.
        await crashes.WaitForMeasurementsAsync(1, Timeout);
        var crash = Assert.Single(crashes.GetMeasurementSnapshot());
        Assert.Equal(1, crash.Value);
        Assert.Equal("http", crash.Tags["actorssgi.protocol"]);
    }

    [Fact]
    public async Task Active_requests_and_request_actors_in_use_count_a_request_while_it_runs()
    {
        using var active = Collect<long>("http.server.active_requests");
        using var inUse = Collect<long>("actorssgi.request_actors.in_use");
        using var pooled = Collect<long>("actorssgi.request_actors.pooled");
        using var client = _server.CreateClient();

        var slow = client.GetAsync("/slow?ms=1500");
        await Eventually.Until(() => Task.FromResult(Observe(active).Sum(m => m.Value)), v => v == 1, Timeout, "one active request");
        var running = Assert.Single(Observe(active));
        Assert.Equal(1, running.Value);
        Assert.Equal("GET", running.Tags["http.request.method"]);
        Assert.Equal("http", running.Tags["url.scheme"]);
        inUse.RecordObservableInstruments();
        Assert.Equal(1, inUse.LastMeasurement!.Value);

        Assert.Equal(HttpStatusCode.OK, (await slow).StatusCode);
        await Eventually.Until(() => Task.FromResult(Observe(active).Sum(m => m.Value)), v => v == 0, Timeout, "no active request");
        await Eventually.Until(
            () =>
            {
                inUse.RecordObservableInstruments();
                pooled.RecordObservableInstruments();
                return Task.FromResult((InUse: inUse.LastMeasurement!.Value, Pooled: pooled.LastMeasurement!.Value));
            },
            v => v is { InUse: 0, Pooled: >= 1 },
            Timeout,
            "the request actor back in the pool");
    }

    [Fact]
    public async Task WebSocket_sessions_messages_bytes_and_topic_deliveries_are_counted()
    {
        using var opened = Collect<long>("actorssgi.websocket.sessions.opened");
        using var sessions = Collect<long>("actorssgi.websocket.sessions.active");
        using var received = Collect<long>("actorssgi.websocket.messages.received");
        using var sent = Collect<long>("actorssgi.websocket.messages.sent");
        using var bytesIn = Collect<long>("actorssgi.websocket.bytes.received");
        using var bytesOut = Collect<long>("actorssgi.websocket.bytes.sent");
        using var deliveries = Collect<long>("actorssgi.topic.deliveries");

        var echoUri = new Uri(_server.BaseAddress.ToString().Replace("http://", "ws://") + "ws/echo");
        using (var echo = await WsClient.ConnectAsync(echoUri))
        {
            await echo.SendTextAsync("hello");
            Assert.Equal("hello", (await echo.ReceiveAsync()).Text);
            await echo.SendBinaryAsync(new byte[100]);
            Assert.Equal(100, (await echo.ReceiveAsync()).Data.Length);

            Assert.Equal(1, opened.GetMeasurementSnapshot().EvaluateAsCounter());
            sessions.RecordObservableInstruments();
            Assert.Equal(1, sessions.LastMeasurement!.Value);
            Assert.Equal(2, received.GetMeasurementSnapshot().EvaluateAsCounter());
            Assert.Equal(105, bytesIn.GetMeasurementSnapshot().EvaluateAsCounter());
            Assert.Equal(2, sent.GetMeasurementSnapshot().EvaluateAsCounter());
            Assert.Equal(105, bytesOut.GetMeasurementSnapshot().EvaluateAsCounter());
            await echo.CloseQuietlyAsync();
        }

        await Eventually.Until(
            () =>
            {
                sessions.RecordObservableInstruments();
                return Task.FromResult(sessions.LastMeasurement!.Value);
            },
            v => v == 0,
            Timeout,
            "no open session");

        // A chat message is published to the room's topic and delivered to both members' sessions.
        var room = "metrics-" + Guid.NewGuid().ToString("N");
        var chatUri = new Uri(_server.BaseAddress.ToString().Replace("http://", "ws://") + "ws/chat?room=" + room);
        using var alice = await WsClient.ConnectAsync(chatUri);
        using var bob = await WsClient.ConnectAsync(chatUri);
        await alice.SendTextAsync("hi bob");
        await bob.ReceiveUntilTextAsync("hi bob");
        await alice.ReceiveUntilTextAsync("hi bob");
        Assert.Equal(2, deliveries.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.Equal(3, opened.GetMeasurementSnapshot().EvaluateAsCounter());
    }
}
