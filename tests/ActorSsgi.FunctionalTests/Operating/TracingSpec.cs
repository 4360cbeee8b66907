using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using ActorSsgi.FunctionalTests.Fixtures;
using ActorSsgi.Telemetry;

namespace ActorSsgi.FunctionalTests.Operating;

/// <summary>
/// The <c>ActorSsgi</c> ActivitySource over real sockets: a server span per request and per WebSocket session,
/// parented by the client's W3C <c>traceparent</c>, tagged after the HTTP semantic conventions; no span at all when
/// nothing listens. Serial: an <see cref="ActivityListener"/> is process-wide, and the no-listener spec must not run
/// while another test's listener exists.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class TracingSpec
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_request_with_a_traceparent_gets_a_server_span_parented_by_it_and_current_in_its_handler()
    {
        using var spans = new SpanRecorder();
        await using var server = await OperatingServer.StartAsync();
        using var client = server.CreateClient();
        var traceId = ActivityTraceId.CreateRandom();
        var parentSpan = ActivitySpanId.CreateRandom();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/traced?a=1&b=two");
        request.Headers.TryAddWithoutValidation("traceparent", $"00-{traceId}-{parentSpan}-01");
        request.Headers.TryAddWithoutValidation("tracestate", "vendor=value");
        request.Headers.TryAddWithoutValidation("User-Agent", "tracing-spec/1.0");

        using var response = await client.SendAsync(request);
        Assert.Equal("hello", await response.Content.ReadAsStringAsync());

        var span = await spans.WaitForAsync(a => (string?)a.GetTagItem("url.path") == "/traced");
        Assert.Equal(ActivityKind.Server, span.Kind);
        Assert.Equal("GET", span.DisplayName);
        Assert.Equal(traceId, span.TraceId);
        Assert.Equal(parentSpan, span.ParentSpanId);
        Assert.True(span.HasRemoteParent);
        Assert.Equal("vendor=value", span.TraceStateString);
        Assert.Equal("GET", span.GetTagItem("http.request.method"));
        Assert.Equal("a=1&b=two", span.GetTagItem("url.query"));
        Assert.Equal("http", span.GetTagItem("url.scheme"));
        Assert.Equal("127.0.0.1", span.GetTagItem("server.address"));
        Assert.Equal(server.BaseAddress.Port, span.GetTagItem("server.port"));
        Assert.Equal("1.1", span.GetTagItem("network.protocol.version"));
        Assert.Equal("tracing-spec/1.0", span.GetTagItem("user_agent.original"));
        Assert.Equal(200, span.GetTagItem("http.response.status_code"));
        Assert.Null(span.GetTagItem("error.type"));
        Assert.Equal(ActivityStatusCode.Unset, span.Status);

        var seen = Assert.Single(server.Framework.Seen, v => v.Path == "/traced");
        Assert.Equal(traceId.ToString(), seen.TraceId);
        Assert.Equal(span.SpanId.ToString(), seen.SpanId);
    }

    [Fact]
    public async Task The_span_stays_current_across_the_handlers_await_and_ends_when_the_request_does()
    {
        using var spans = new SpanRecorder();
        await using var server = await OperatingServer.StartAsync();
        using var client = server.CreateClient();

        Assert.Equal("later", await client.GetStringAsync("/async"));

        var span = await spans.WaitForAsync(a => (string?)a.GetTagItem("url.path") == "/async");
        var seen = Assert.Single(server.Framework.Seen, v => v.Path == "/async");
        Assert.Equal(span.SpanId.ToString(), seen.SpanId);
        Assert.Equal(span.SpanId.ToString(), seen.SpanIdAfterAwait);
        Assert.Equal(default, span.ParentSpanId); // no traceparent: a new trace
    }

    [Fact]
    public async Task A_crashing_handler_ends_its_span_as_an_error_with_status_500()
    {
        using var spans = new SpanRecorder();
        await using var server = await OperatingServer.StartAsync();
        using var client = server.CreateClient();

        using var response = await client.GetAsync("/crash");
        Assert.Equal(500, (int)response.StatusCode);

        var span = await spans.WaitForAsync(a => (string?)a.GetTagItem("url.path") == "/crash");
        Assert.Equal(500, span.GetTagItem("http.response.status_code"));
        Assert.Equal("500", span.GetTagItem("error.type"));
        Assert.Equal(ActivityStatusCode.Error, span.Status);
    }

    [Fact]
    public async Task A_websocket_session_gets_one_server_span_with_its_close_code_and_message_counts()
    {
        using var spans = new SpanRecorder();
        await using var server = await OperatingServer.StartAsync();
        var traceId = ActivityTraceId.CreateRandom();
        var parentSpan = ActivitySpanId.CreateRandom();
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("traceparent", $"00-{traceId}-{parentSpan}-01");
        using var timeout = new CancellationTokenSource(Timeout);
        await socket.ConnectAsync(server.Ws("/chat"), timeout.Token);
        var buffer = new byte[64];
        foreach (var text in new[] { "one", "two" })
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, timeout.Token);
            var received = await socket.ReceiveAsync(buffer, timeout.Token);
            Assert.Equal(text, Encoding.UTF8.GetString(buffer, 0, received.Count));
        }

        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);

        var span = await spans.WaitForAsync(a => (string?)a.GetTagItem("url.path") == "/chat");
        Assert.Equal(ActivityKind.Server, span.Kind);
        Assert.Equal(true, span.GetTagItem(ActorSsgiActivities.WebSocketTag));
        Assert.Equal(traceId, span.TraceId);
        Assert.Equal(parentSpan, span.ParentSpanId);
        Assert.Equal(101, span.GetTagItem("http.response.status_code"));
        Assert.Equal(1000, span.GetTagItem(ActorSsgiActivities.CloseCodeTag));
        Assert.Equal(2L, span.GetTagItem(ActorSsgiActivities.MessagesReceivedTag));
        Assert.Equal(2L, span.GetTagItem(ActorSsgiActivities.MessagesSentTag));
        Assert.Single(spans.Stopped, a => (string?)a.GetTagItem("url.path") == "/chat");
    }

    [Fact]
    public async Task With_no_listener_no_activity_is_created_even_for_a_request_with_a_traceparent()
    {
        await using var server = await OperatingServer.StartAsync();
        using var client = server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/untraced");
        request.Headers.TryAddWithoutValidation("traceparent", $"00-{ActivityTraceId.CreateRandom()}-{ActivitySpanId.CreateRandom()}-01");

        using var response = await client.SendAsync(request);
        Assert.Equal("hello", await response.Content.ReadAsStringAsync());
        using var later = await client.GetAsync("/async");
        Assert.Equal("later", await later.Content.ReadAsStringAsync());

        // A listener for the source would have made a span current in the handler (the specs above show it is).
        var seen = Assert.Single(server.Framework.Seen, v => v.Path == "/untraced");
        Assert.Null(seen.SpanId);
        var async = Assert.Single(server.Framework.Seen, v => v.Path == "/async");
        Assert.Null(async.SpanId);
        Assert.Null(async.SpanIdAfterAwait);
    }

    /// <summary>Listens to the ActorSsgi source only and records every span as it stops.</summary>
    private sealed class SpanRecorder : IDisposable
    {
        private readonly ActivityListener _listener;
        private readonly ConcurrentQueue<Activity> _stopped = new();

        public SpanRecorder()
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name == ActorSsgiActivities.SourceName,
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = _stopped.Enqueue,
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public IReadOnlyList<Activity> Stopped => _stopped.ToArray();

        public async Task<Activity> WaitForAsync(Func<Activity, bool> match)
        {
            var found = await Eventually.Until(
                () => Task.FromResult(_stopped.FirstOrDefault(match)),
                a => a is not null,
                Timeout,
                "the span to stop");
            return found!;
        }

        public void Dispose() => _listener.Dispose();
    }
}
