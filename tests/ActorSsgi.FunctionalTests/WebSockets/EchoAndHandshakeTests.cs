using System.Net;
using System.Net.WebSockets;
using System.Text;

namespace ActorSsgi.FunctionalTests.WebSockets;

/// <summary>The demo's /ws/echo, /ws/reject and /ws/close with .NET's ClientWebSocket, and broken handshakes over raw TCP.</summary>
public sealed class EchoAndHandshakeTests(WsServerFixture fixture) : IClassFixture<WsServerFixture>
{
    private WsServer Server => fixture.Server;

    [Fact]
    public async Task A_text_message_is_echoed_back_as_text()
    {
        using var ws = await WsClient.ConnectAsync(Server.Ws("/ws/echo"));
        await ws.SendTextAsync("héllo, wörld ✓");

        var echo = await ws.ReceiveAsync();

        Assert.Equal(WebSocketMessageType.Text, echo.Type);
        Assert.Equal("héllo, wörld ✓", echo.Text);
        await ws.CloseQuietlyAsync();
    }

    [Fact]
    public async Task A_binary_message_is_echoed_back_as_binary_with_every_byte_intact()
    {
        using var ws = await WsClient.ConnectAsync(Server.Ws("/ws/echo"));
        var payload = Enumerable.Range(0, 256).Select(i => (byte)i).Concat(new byte[] { 0xff, 0xfe }).ToArray();
        await ws.SendBinaryAsync(payload);

        var echo = await ws.ReceiveAsync();

        Assert.Equal(WebSocketMessageType.Binary, echo.Type);
        Assert.Equal(payload, echo.Data);
        await ws.CloseQuietlyAsync();
    }

    [Fact]
    public async Task Text_and_binary_messages_interleaved_come_back_in_order_with_their_types()
    {
        using var ws = await WsClient.ConnectAsync(Server.Ws("/ws/echo"));
        for (var i = 0; i < 20; i++)
        {
            if (i % 2 == 0)
            {
                await ws.SendTextAsync("t" + i);
            }
            else
            {
                await ws.SendBinaryAsync([(byte)i]);
            }
        }

        for (var i = 0; i < 20; i++)
        {
            var echo = await ws.ReceiveAsync();
            if (i % 2 == 0)
            {
                Assert.Equal((WebSocketMessageType.Text, "t" + i), (echo.Type, echo.Text));
            }
            else
            {
                Assert.Equal(WebSocketMessageType.Binary, echo.Type);
                Assert.Equal([(byte)i], echo.Data);
            }
        }

        await ws.CloseQuietlyAsync();
    }

    [Fact]
    public async Task A_message_sent_in_fragments_is_echoed_back_whole()
    {
        using var ws = await WsClient.ConnectAsync(Server.Ws("/ws/echo"));
        var text = string.Concat(Enumerable.Repeat("fragment-", 2000)); // 18 KB, several server reads
        var bytes = Encoding.UTF8.GetBytes(text);
        for (var offset = 0; offset < bytes.Length; offset += 5000)
        {
            var count = Math.Min(5000, bytes.Length - offset);
            await ws.SendAsync(bytes.AsMemory(offset, count), WebSocketMessageType.Text, offset + count == bytes.Length, CancellationToken.None);
        }

        var echo = await ws.ReceiveAsync();

        Assert.Equal(WebSocketMessageType.Text, echo.Type);
        Assert.Equal(text, echo.Text);
        await ws.CloseQuietlyAsync();
    }

    [Fact]
    public async Task The_server_accepts_the_first_of_two_offered_subprotocols()
    {
        using var ws = await WsClient.ConnectAsync(Server.Ws("/ws/echo"), options =>
        {
            options.AddSubProtocol("chat.v2");
            options.AddSubProtocol("chat.v1");
        });

        Assert.Equal("chat.v2", ws.SubProtocol);
        await ws.SendTextAsync("still echoes");
        Assert.Equal("still echoes", (await ws.ReceiveAsync()).Text);
        await ws.CloseQuietlyAsync();
    }

    [Fact]
    public async Task Without_an_offered_subprotocol_none_is_chosen()
    {
        using var ws = await WsClient.ConnectAsync(Server.Ws("/ws/echo"), options => options.CollectHttpResponseDetails = true);

        Assert.Null(ws.SubProtocol);
        Assert.Equal(HttpStatusCode.SwitchingProtocols, ws.HttpStatusCode);
        Assert.False(ws.HttpResponseHeaders!.ContainsKey("Sec-WebSocket-Protocol"), "No subprotocol header is expected when none was offered.");
        await ws.CloseQuietlyAsync();
    }

    [Fact]
    public async Task A_rejected_upgrade_answers_403_with_its_body_and_header()
    {
        var response = await WsRawHttp.SendAsync(Server.EndPoint, [.. WsRawHttp.UpgradeRequest(Server.EndPoint, "/ws/reject")]);

        Assert.True(response.Status == 403, response.ToString());
        Assert.Equal("probe", response.Header("x-reject-reason"));
        Assert.Equal("forbidden", response.Body);
        Assert.Null(response.Header("Sec-WebSocket-Accept"));
    }

    [Fact]
    public async Task ClientWebSocket_sees_the_rejection_status_and_header()
    {
        using var ws = new ClientWebSocket();
        ws.Options.CollectHttpResponseDetails = true;
        using var timeout = new CancellationTokenSource(WsClient.Timeout);

        var error = await Assert.ThrowsAsync<WebSocketException>(() => ws.ConnectAsync(Server.Ws("/ws/reject"), timeout.Token));

        Assert.Equal(HttpStatusCode.Forbidden, ws.HttpStatusCode);
        Assert.Equal(["probe"], ws.HttpResponseHeaders!["x-reject-reason"]);
        Assert.Contains("403", error.Message);
    }

    [Fact]
    public async Task The_server_closes_with_the_code_the_route_asks_for()
    {
        using var ws = await WsClient.ConnectAsync(Server.Ws("/ws/close?code=4001"));

        var close = await ws.ReceiveAsync();

        Assert.True(close.IsClose, $"Expected a close, got {close}.");
        Assert.Equal(4001, (int?)close.CloseStatus);
        Assert.Equal("closed by /ws/close", close.CloseDescription);
        await ws.AnswerCloseAsync();
        Assert.Equal(WebSocketState.Closed, ws.State);
    }

    [Fact]
    public async Task A_client_close_is_answered_with_the_same_code()
    {
        using var ws = await WsClient.ConnectAsync(Server.Ws("/ws/echo"));
        using var timeout = new CancellationTokenSource(WsClient.Timeout);

        await ws.CloseAsync((WebSocketCloseStatus)4002, "client says bye", timeout.Token);

        Assert.Equal(WebSocketState.Closed, ws.State);
        Assert.Equal(4002, (int?)ws.CloseStatus);
    }

    [Fact]
    public async Task A_message_over_MaxMessageSize_closes_the_session_with_1009()
    {
        using var ws = await WsClient.ConnectAsync(Server.Ws("/ws/echo"));
        await ws.SendBinaryAsync(new byte[(1024 * 1024) + 1]);

        var (close, skipped) = await ws.ReceiveCloseAsync();

        Assert.Equal(0, skipped);
        Assert.Equal(1009, (int?)close.CloseStatus);
    }

    [Fact]
    public async Task A_message_over_MaxMessageSize_in_many_fragments_closes_the_session_with_1009()
    {
        using var ws = await WsClient.ConnectAsync(Server.Ws("/ws/echo"));
        var fragment = new byte[64 * 1024];
        for (var i = 0; i < 16; i++)
        {
            await ws.SendAsync(fragment, WebSocketMessageType.Binary, endOfMessage: false, CancellationToken.None);
        }

        await ws.SendAsync(new byte[] { 1 }, WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);

        var (close, skipped) = await ws.ReceiveCloseAsync();
        Assert.Equal(0, skipped);
        Assert.Equal(1009, (int?)close.CloseStatus);
    }

    [Fact]
    public async Task A_message_of_exactly_MaxMessageSize_is_echoed()
    {
        using var ws = await WsClient.ConnectAsync(Server.Ws("/ws/echo"));
        var payload = new byte[1024 * 1024];
        new Random(42).NextBytes(payload);
        await ws.SendBinaryAsync(payload);

        var echo = await ws.ReceiveAsync();

        Assert.Equal(WebSocketMessageType.Binary, echo.Type);
        Assert.Equal(payload, echo.Data);
        await ws.CloseQuietlyAsync();
    }

    [Fact]
    public async Task An_upgrade_without_Sec_WebSocket_Key_gets_400()
    {
        var request = WsRawHttp.UpgradeRequest(Server.EndPoint, "/ws/echo");
        request.RemoveAll(line => line.StartsWith("Sec-WebSocket-Key", StringComparison.Ordinal));

        var response = await WsRawHttp.SendAsync(Server.EndPoint, [.. request]);

        Assert.True(response.Status == 400, response.ToString());
        Assert.Contains("Sec-WebSocket-Key", response.Body);
    }

    [Fact]
    public async Task An_upgrade_with_a_key_that_is_not_a_16_byte_nonce_gets_400()
    {
        var request = WsRawHttp.UpgradeRequest(Server.EndPoint, "/ws/echo");
        request[request.FindIndex(line => line.StartsWith("Sec-WebSocket-Key", StringComparison.Ordinal))] = "Sec-WebSocket-Key: c2hvcnQ=";

        var response = await WsRawHttp.SendAsync(Server.EndPoint, [.. request]);

        Assert.True(response.Status == 400, response.ToString());
    }

    [Fact]
    public async Task An_upgrade_with_version_12_gets_426_naming_version_13()
    {
        var request = WsRawHttp.UpgradeRequest(Server.EndPoint, "/ws/echo");
        request[request.FindIndex(line => line.StartsWith("Sec-WebSocket-Version", StringComparison.Ordinal))] = "Sec-WebSocket-Version: 12";

        var response = await WsRawHttp.SendAsync(Server.EndPoint, [.. request]);

        Assert.True(response.Status == 426, response.ToString());
        Assert.Equal("13", response.Header("Sec-WebSocket-Version"));
    }

    [Fact]
    public async Task A_valid_raw_upgrade_gets_101_with_the_RFC_6455_accept_key()
    {
        using var cancel = new CancellationTokenSource(WsClient.Timeout);
        using var client = new System.Net.Sockets.TcpClient();
        await client.ConnectAsync(Server.EndPoint, cancel.Token);
        var stream = client.GetStream();
        var request = string.Join("\r\n", WsRawHttp.UpgradeRequest(Server.EndPoint, "/ws/echo")) + "\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request), cancel.Token);
        var buffer = new byte[4096];
        var head = "";
        while (!head.Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var n = await stream.ReadAsync(buffer, cancel.Token);
            Assert.True(n > 0, "The connection closed during the handshake: " + head);
            head += Encoding.ASCII.GetString(buffer, 0, n);
        }

        Assert.StartsWith("HTTP/1.1 101", head);
        // The example key and answer of RFC 6455 section 1.3.
        Assert.Contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", head, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_plain_GET_to_a_WebSocket_path_is_an_ordinary_HTTP_request()
    {
        var response = await WsRawHttp.SendAsync(Server.EndPoint, "GET /ws/echo HTTP/1.1", $"Host: {Server.EndPoint}", "Connection: close");

        Assert.True(response.Status == 404, response.ToString());
        Assert.Null(response.Header("Upgrade"));
    }

    [Fact]
    public async Task An_upgrade_to_an_unknown_path_is_rejected_by_the_route_with_404()
    {
        using var ws = new ClientWebSocket();
        ws.Options.CollectHttpResponseDetails = true;
        using var timeout = new CancellationTokenSource(WsClient.Timeout);

        await Assert.ThrowsAsync<WebSocketException>(() => ws.ConnectAsync(Server.Ws("/ws/nowhere"), timeout.Token));

        Assert.Equal(HttpStatusCode.NotFound, ws.HttpStatusCode);
    }
}
