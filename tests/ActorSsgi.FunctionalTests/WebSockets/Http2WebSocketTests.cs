using System.Net;
using System.Net.WebSockets;

namespace ActorSsgi.FunctionalTests.WebSockets;

/// <summary>WebSockets over HTTP/2 (RFC 8441 extended CONNECT) on a cleartext h2c endpoint.</summary>
public sealed class Http2WebSocketTests : IAsyncLifetime
{
    private WsServer? _server;

    private WsServer Server => _server!;

    /// <summary>The h2c endpoint, the server's only one.</summary>
    private Uri H2 => Server.Addresses[0];

    public async Task InitializeAsync()
    {
        // No --urls and no ActorSsgi:Urls: the h2c endpoint is the only one.
        _server = await WsServer.StartAsync(
            [],
            ["ActorSsgi:Urls=", "ActorSsgi:Endpoints:h2:Url=http://127.0.0.1:0", "ActorSsgi:Endpoints:h2:Protocols=Http2"]);
        Assert.Single(_server.Addresses);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    private static void Http2Only(ClientWebSocketOptions options)
    {
        options.HttpVersion = HttpVersion.Version20;
        options.HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact;
        options.CollectHttpResponseDetails = true;
    }

    [Fact]
    public async Task Echo_works_over_HTTP2_extended_CONNECT()
    {
        using var invoker = new HttpMessageInvoker(new SocketsHttpHandler());
        using var ws = await WsClient.ConnectAsync(Server.Ws("/ws/echo", H2), Http2Only, invoker);

        // An extended CONNECT is answered with 200, not 101.
        Assert.Equal(HttpStatusCode.OK, ws.HttpStatusCode);
        await ws.SendTextAsync("over h2");
        var text = await ws.ReceiveAsync();
        await ws.SendBinaryAsync([0xff, 0x00, 0xfe]);
        var binary = await ws.ReceiveAsync();

        Assert.Equal((WebSocketMessageType.Text, "over h2"), (text.Type, text.Text));
        Assert.Equal(WebSocketMessageType.Binary, binary.Type);
        Assert.Equal([0xff, 0x00, 0xfe], binary.Data);
        await ws.CloseQuietlyAsync();
    }

    [Fact]
    public async Task Several_WebSockets_share_one_HTTP2_connection_and_subprotocols_still_negotiate()
    {
        using var invoker = new HttpMessageInvoker(new SocketsHttpHandler());
        var sockets = await Task.WhenAll(Enumerable.Range(0, 3).Select(i => WsClient.ConnectAsync(
            Server.Ws("/ws/echo", H2),
            options =>
            {
                Http2Only(options);
                options.AddSubProtocol("p" + i);
                options.AddSubProtocol("fallback");
            },
            invoker)));

        for (var i = 0; i < sockets.Length; i++)
        {
            Assert.Equal("p" + i, sockets[i].SubProtocol);
            await sockets[i].SendTextAsync("stream " + i);
        }

        for (var i = 0; i < sockets.Length; i++)
        {
            Assert.Equal("stream " + i, (await sockets[i].ReceiveAsync()).Text);
        }

        await Task.WhenAll(sockets.Select(s => s.CloseQuietlyAsync()));
    }

    [Fact]
    public async Task Close_codes_and_rejections_work_over_HTTP2()
    {
        using var invoker = new HttpMessageInvoker(new SocketsHttpHandler());
        using var closing = await WsClient.ConnectAsync(Server.Ws("/ws/close?code=4001", H2), Http2Only, invoker);
        var close = await closing.ReceiveAsync();
        Assert.Equal(4001, (int?)close.CloseStatus);
        await closing.AnswerCloseAsync();

        using var echo = await WsClient.ConnectAsync(Server.Ws("/ws/echo", H2), Http2Only, invoker);
        using (var timeout = new CancellationTokenSource(WsClient.Timeout))
        {
            await echo.CloseAsync((WebSocketCloseStatus)4002, null, timeout.Token);
        }

        Assert.Equal(4002, (int?)echo.CloseStatus);

        using var rejected = new ClientWebSocket();
        Http2Only(rejected.Options);
        using (var timeout = new CancellationTokenSource(WsClient.Timeout))
        {
            await Assert.ThrowsAsync<WebSocketException>(() => rejected.ConnectAsync(Server.Ws("/ws/reject", H2), invoker, timeout.Token));
        }

        Assert.Equal(HttpStatusCode.Forbidden, rejected.HttpStatusCode);
        Assert.Equal(["probe"], rejected.HttpResponseHeaders!["x-reject-reason"]);
    }
}
