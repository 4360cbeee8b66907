using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace ActorSsgi.Python.Tests;

/// <summary>Starlette 0.26 WebSocket routes served through ASGI's WebSocket sub-specification, with ClientWebSocket.</summary>
[Collection(PythonCollection.Name)]
public sealed class StarletteWebSocketSpec(StarletteServer starlette)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly PythonServer _server = starlette.Server;

    [Fact]
    public async Task Text_must_echo_as_text_and_bytes_as_bytes()
    {
        using var ws = await ConnectAsync("/ws");
        await SendTextAsync(ws, "héllo");
        Assert.Equal(("héllo", WebSocketMessageType.Text), await ReceiveAsync(ws));

        var data = new byte[70_000];
        new Random(5).NextBytes(data);
        using var cts = new CancellationTokenSource(Timeout);
        await ws.SendAsync(data, WebSocketMessageType.Binary, true, cts.Token);
        var (bytes, type) = await ReceiveBytesAsync(ws);
        Assert.Equal(WebSocketMessageType.Binary, type);
        Assert.Equal(data, bytes);
    }

    [Fact]
    public async Task The_subprotocol_the_app_accepts_must_be_confirmed_to_the_client()
    {
        using var ws = await ConnectAsync("/ws", options => { options.AddSubProtocol("chat"); options.AddSubProtocol("echo.v2"); });
        Assert.Equal("echo.v2", ws.SubProtocol);
        await SendTextAsync(ws, "still echoing");
        Assert.Equal("still echoing", (await ReceiveAsync(ws)).Text);
    }

    [Fact]
    public async Task The_websocket_scope_must_carry_asgi_versions_path_query_headers_client_and_subprotocols()
    {
        using var ws = await ConnectAsync("/ws/scope?room=7", options =>
        {
            options.SetRequestHeader("X-Custom", "hello");
            options.AddSubProtocol("a.v1");
            options.AddSubProtocol("b.v2");
        });
        using var json = JsonDocument.Parse((await ReceiveAsync(ws)).Text);
        var scope = json.RootElement;
        Assert.Equal("websocket", scope.GetProperty("type").GetString());
        Assert.Equal("3.0", scope.GetProperty("asgi").GetProperty("version").GetString());
        Assert.Equal("2.3", scope.GetProperty("asgi").GetProperty("spec_version").GetString());
        Assert.Equal("1.1", scope.GetProperty("http_version").GetString());
        Assert.Equal("ws", scope.GetProperty("scheme").GetString());
        Assert.Equal("/ws/scope", scope.GetProperty("path").GetString());
        Assert.Equal("/ws/scope", scope.GetProperty("raw_path").GetString());
        Assert.Equal("room=7", scope.GetProperty("query_string").GetString());
        Assert.Equal("hello", scope.GetProperty("header").GetString());
        Assert.Equal("127.0.0.1", scope.GetProperty("client").GetString());
        Assert.Equal(["a.v1", "b.v2"], scope.GetProperty("subprotocols").EnumerateArray().Select(p => p.GetString()));
    }

    [Fact]
    public async Task An_app_closing_with_a_code_and_reason_must_be_seen_by_the_client()
    {
        using var ws = await ConnectAsync("/ws");
        await SendTextAsync(ws, "bye");
        using var cts = new CancellationTokenSource(Timeout);
        var result = await ws.ReceiveAsync(new byte[64], cts.Token);
        Assert.Equal(WebSocketMessageType.Close, result.MessageType);
        Assert.Equal(4000, (int)ws.CloseStatus!);
        Assert.Equal("bye for now", ws.CloseStatusDescription);
    }

    [Fact]
    public async Task A_client_close_must_reach_the_app_as_websocket_disconnect_with_its_code()
    {
        var code = 4000 + Random.Shared.Next(100, 999);
        using (var ws = await ConnectAsync("/ws"))
        {
            await SendTextAsync(ws, "ping");
            Assert.Equal("ping", (await ReceiveAsync(ws)).Text);
            using var cts = new CancellationTokenSource(Timeout);
            await ws.CloseAsync((WebSocketCloseStatus)code, "leaving", cts.Token);
        }

        // The app appends the code when its receive() returns websocket.disconnect; /ws/disconnects reports the list.
        using var client = _server.CreateClient();
        var deadline = DateTime.UtcNow + Timeout;
        int[] seen;
        do
        {
            seen = JsonSerializer.Deserialize<int[]>(await client.GetStringAsync("/ws/disconnects"))!;
            if (seen.Contains(code))
            {
                break;
            }

            await Task.Delay(20);
        }
        while (DateTime.UtcNow < deadline);

        Assert.Contains(code, seen);
    }

    [Fact]
    public async Task A_close_before_accept_must_answer_the_upgrade_with_HTTP_403()
    {
        using var ws = new ClientWebSocket();
        ws.Options.CollectHttpResponseDetails = true;
        using var cts = new CancellationTokenSource(Timeout);
        await Assert.ThrowsAsync<WebSocketException>(() => ws.ConnectAsync(Uri("/ws/reject"), cts.Token));
        Assert.Equal(HttpStatusCode.Forbidden, ws.HttpStatusCode);
    }

    [Theory]
    [InlineData("/ws/return")]
    [InlineData("/ws/fail-early")]
    public async Task An_app_returning_or_raising_before_accept_must_answer_the_upgrade_with_HTTP_500(string path)
    {
        using var ws = new ClientWebSocket();
        ws.Options.CollectHttpResponseDetails = true;
        using var cts = new CancellationTokenSource(Timeout);
        await Assert.ThrowsAsync<WebSocketException>(() => ws.ConnectAsync(Uri(path), cts.Token));
        Assert.Equal(HttpStatusCode.InternalServerError, ws.HttpStatusCode);
    }

    [Fact]
    public async Task An_app_raising_after_accept_must_close_with_1011_and_the_next_session_must_work()
    {
        using (var failing = await ConnectAsync("/ws/fail"))
        {
            await SendTextAsync(failing, "boom");
            using var cts = new CancellationTokenSource(Timeout);
            var result = await failing.ReceiveAsync(new byte[64], cts.Token);
            Assert.Equal(WebSocketMessageType.Close, result.MessageType);
            Assert.Equal(WebSocketCloseStatus.InternalServerError, failing.CloseStatus);
        }

        using var next = await ConnectAsync("/ws");
        await SendTextAsync(next, "after the failure");
        Assert.Equal("after the failure", (await ReceiveAsync(next)).Text);
    }

    [Fact]
    public async Task A_thousand_messages_sent_without_waiting_must_come_back_in_order()
    {
        const int Count = 1000;
        using var ws = await ConnectAsync("/ws");
        var sending = Task.Run(async () =>
        {
            for (var i = 0; i < Count; i++)
            {
                await SendTextAsync(ws, $"message {i} " + new string('x', i % 300));
            }
        });
        for (var i = 0; i < Count; i++)
        {
            Assert.Equal($"message {i} " + new string('x', i % 300), (await ReceiveAsync(ws)).Text);
        }

        await sending.WaitAsync(Timeout);
    }

    [Fact]
    public async Task An_app_sending_a_burst_must_deliver_every_message_in_order_before_its_close()
    {
        const int Count = 5000;
        using var ws = await ConnectAsync($"/ws/burst?n={Count}");
        for (var i = 0; i < Count; i++)
        {
            Assert.Equal($"burst {i}", (await ReceiveAsync(ws)).Text);
        }

        using var cts = new CancellationTokenSource(Timeout);
        var result = await ws.ReceiveAsync(new byte[64], cts.Token);
        Assert.Equal(WebSocketMessageType.Close, result.MessageType);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, ws.CloseStatus);
        Assert.Equal("done", ws.CloseStatusDescription);
    }

    [Fact]
    public async Task Concurrent_sessions_must_each_get_their_own_echoes()
    {
        var sessions = await Task.WhenAll(Enumerable.Range(0, 20).Select(async i =>
        {
            using var ws = await ConnectAsync("/ws");
            var got = new List<string>();
            for (var m = 0; m < 20; m++)
            {
                await SendTextAsync(ws, $"{i}:{m}");
                got.Add((await ReceiveAsync(ws)).Text);
            }

            return got;
        }));
        for (var i = 0; i < sessions.Length; i++)
        {
            Assert.Equal(Enumerable.Range(0, 20).Select(m => $"{i}:{m}"), sessions[i]);
        }
    }

    private Uri Uri(string pathAndQuery) => new($"ws://{_server.BaseAddress.Authority}{pathAndQuery}");

    private async Task<ClientWebSocket> ConnectAsync(string pathAndQuery, Action<ClientWebSocketOptions>? configure = null)
    {
        var ws = new ClientWebSocket();
        configure?.Invoke(ws.Options);
        using var cts = new CancellationTokenSource(Timeout);
        await ws.ConnectAsync(Uri(pathAndQuery), cts.Token);
        return ws;
    }

    private static async Task SendTextAsync(WebSocket ws, string text)
    {
        using var cts = new CancellationTokenSource(Timeout);
        await ws.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, cts.Token);
    }

    private static async Task<(string Text, WebSocketMessageType Type)> ReceiveAsync(WebSocket ws)
    {
        var (bytes, type) = await ReceiveBytesAsync(ws);
        return (Encoding.UTF8.GetString(bytes), type);
    }

    private static async Task<(byte[] Bytes, WebSocketMessageType Type)> ReceiveBytesAsync(WebSocket ws)
    {
        using var cts = new CancellationTokenSource(Timeout);
        using var message = new MemoryStream();
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var result = await ws.ReceiveAsync(buffer, cts.Token);
            Assert.NotEqual(WebSocketMessageType.Close, result.MessageType);
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return (message.ToArray(), result.MessageType);
            }
        }
    }
}
