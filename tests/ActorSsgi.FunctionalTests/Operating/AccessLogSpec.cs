using System.Net.WebSockets;
using System.Text;
using ActorSsgi.FunctionalTests.Fixtures;
using Microsoft.Extensions.Logging;

namespace ActorSsgi.FunctionalTests.Operating;

/// <summary>
/// <c>ActorSsgi:AccessLog</c> over real sockets: one structured Information entry per request and per WebSocket
/// session once it has ended, in the category <c>ActorSsgi.AccessLog</c>; none at all when it is off (the default).
/// </summary>
public sealed class AccessLogSpec
{
    private const string Category = "ActorSsgi.AccessLog";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_request_is_logged_once_after_it_ends_with_its_fields()
    {
        await using var server = await OperatingServer.StartAsync("ActorSsgi:AccessLog:Enabled=true");
        using var client = server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/logged?q=1");
        request.Headers.TryAddWithoutValidation("User-Agent", "access-log-spec/2.0");

        using var response = await client.SendAsync(request);
        Assert.Equal("hello", await response.Content.ReadAsStringAsync());

        var entry = await WaitForEntryAsync(server, e => Equals(e.Fields.GetValueOrDefault("Path"), "/logged"));
        Assert.Equal(LogLevel.Information, entry.Level);
        Assert.Equal("Request", entry.EventId.Name);
        Assert.StartsWith("127.0.0.1:", (string)entry.Fields["RemoteAddress"]!);
        Assert.Equal("GET", entry.Fields["Method"]);
        Assert.Equal("?q=1", entry.Fields["Query"]);
        Assert.Equal("HTTP/1.1", entry.Fields["Protocol"]);
        Assert.Equal(200, entry.Fields["Status"]);
        Assert.Equal(5L, entry.Fields["BytesSent"]);
        Assert.InRange((double)entry.Fields["DurationMs"]!, 0, Timeout.TotalMilliseconds);
        Assert.Equal("access-log-spec/2.0", entry.Fields["UserAgent"]);
        Assert.Contains("\"GET /logged?q=1 HTTP/1.1\" 200 5", entry.Message);

        // Once: the host's stop ends every request, and the one request has exactly one entry.
        await server.StopAsync();
        Assert.Single(server.Log.Of(Category), e => Equals(e.Fields.GetValueOrDefault("Path"), "/logged"));
    }

    [Fact]
    public async Task A_crashed_request_is_logged_with_its_500()
    {
        await using var server = await OperatingServer.StartAsync("ActorSsgi:AccessLog:Enabled=true");
        using var client = server.CreateClient();

        using var response = await client.GetAsync("/crash");
        Assert.Equal(500, (int)response.StatusCode);

        var entry = await WaitForEntryAsync(server, e => Equals(e.Fields.GetValueOrDefault("Path"), "/crash"));
        Assert.Equal(500, entry.Fields["Status"]);
        Assert.Equal(0L, entry.Fields["BytesSent"]);
    }

    [Fact]
    public async Task A_websocket_session_is_logged_at_its_end_with_close_code_duration_and_messages_each_way()
    {
        await using var server = await OperatingServer.StartAsync("ActorSsgi:AccessLog:Enabled=true");
        using var socket = new ClientWebSocket();
        using var timeout = new CancellationTokenSource(Timeout);
        await socket.ConnectAsync(server.Ws("/room"), timeout.Token);
        var buffer = new byte[64];
        foreach (var text in new[] { "a", "b", "c" })
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, timeout.Token);
            await socket.ReceiveAsync(buffer, timeout.Token);
        }

        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);

        var entry = await WaitForEntryAsync(server, e => e.EventId.Name == "WebSocketSession");
        Assert.Equal("/room", entry.Fields["Path"]);
        Assert.Equal(1000, entry.Fields["CloseCode"]);
        Assert.Equal(3L, entry.Fields["MessagesReceived"]);
        Assert.Equal(3L, entry.Fields["MessagesSent"]);
        Assert.InRange((double)entry.Fields["DurationMs"]!, 0, Timeout.TotalMilliseconds);
        Assert.StartsWith("127.0.0.1:", (string)entry.Fields["RemoteAddress"]!);
    }

    [Fact]
    public async Task Off_by_default_nothing_is_logged_for_requests_or_sessions()
    {
        await using var server = await OperatingServer.StartAsync();
        using var client = server.CreateClient();
        Assert.Equal("hello", await client.GetStringAsync("/quiet?x=1"));
        using (var socket = new ClientWebSocket())
        {
            using var timeout = new CancellationTokenSource(Timeout);
            await socket.ConnectAsync(server.Ws("/quiet-ws"), timeout.Token);
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
        }

        // After the host has stopped every request and session has ended: an entry would be there by now.
        await server.StopAsync();
        Assert.Contains(server.Framework.Seen, v => v.Path == "/quiet");
        Assert.Empty(server.Log.Of(Category));
    }

    private static Task<CapturedEntry> WaitForEntryAsync(OperatingServer server, Func<CapturedEntry, bool> match) =>
        Eventually.Until(
            () => Task.FromResult(server.Log.Of(Category).FirstOrDefault(match)),
            e => e is not null,
            Timeout,
            "the access log entry")!;
}
