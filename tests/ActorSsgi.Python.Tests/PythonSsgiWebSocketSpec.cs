using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace ActorSsgi.Python.Tests;

/// <summary>The seed's Python ssgi API over real sockets: WebSocket sessions (ssgi_app.py's /chat) with ClientWebSocket.</summary>
[Collection(PythonCollection.Name)]
public sealed class PythonSsgiWebSocketSpec(SsgiAppServer ssgi) : IClassFixture<SsgiAppServer>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private Uri Ws(string pathAndQuery) => new($"ws://{ssgi.Server.BaseAddress.Authority}{pathAndQuery}");

    [Fact]
    public async Task Two_chat_clients_must_each_see_every_message_of_the_other()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        using var alice = new ClientWebSocket();
        using var bob = new ClientWebSocket();
        await alice.ConnectAsync(Ws("/chat?alice"), timeout.Token);
        await bob.ConnectAsync(Ws("/chat?bob"), timeout.Token);

        await Send(alice, "hi from alice", timeout.Token);
        Assert.Equal("hi from alice", await ReceiveText(alice, timeout.Token));
        Assert.Equal("hi from alice", await ReceiveText(bob, timeout.Token));

        await Send(bob, "hi from bob", timeout.Token);
        Assert.Equal("hi from bob", await ReceiveText(bob, timeout.Token));
        Assert.Equal("hi from bob", await ReceiveText(alice, timeout.Token));
    }

    [Fact]
    public async Task Messages_must_arrive_in_order_and_binary_must_stay_binary()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        using var client = new ClientWebSocket();
        await client.ConnectAsync(Ws("/chat?order"), timeout.Token);
        for (var i = 0; i < 50; i++)
        {
            await Send(client, $"m{i}", timeout.Token);
        }

        for (var i = 0; i < 50; i++)
        {
            Assert.Equal($"m{i}", await ReceiveText(client, timeout.Token));
        }

        await client.SendAsync(new byte[] { 0, 1, 2, 255 }, WebSocketMessageType.Binary, true, timeout.Token);
        var buffer = new byte[16];
        var result = await client.ReceiveAsync(buffer, timeout.Token);
        Assert.Equal(WebSocketMessageType.Binary, result.MessageType);
        Assert.Equal(new byte[] { 0, 1, 2, 255 }, buffer[..result.Count]);
    }

    [Fact]
    public async Task A_client_close_must_fire_on_close_with_its_code_and_reason()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        using var client = new ClientWebSocket();
        var name = "closer-" + Guid.NewGuid().ToString("N");
        await client.ConnectAsync(Ws("/chat?" + name), timeout.Token);
        await client.CloseAsync((WebSocketCloseStatus)4001, "bye", timeout.Token);

        using var http = ssgi.Server.CreateClient();
        JsonElement? entry = null;
        while (entry is null)
        {
            timeout.Token.ThrowIfCancellationRequested();
            using var closes = JsonDocument.Parse(await http.GetStringAsync("/closes", timeout.Token));
            entry = closes.RootElement.EnumerateArray().Where(e => e.GetProperty("name").GetString() == name).Select(e => (JsonElement?)e.Clone()).FirstOrDefault();
            if (entry is null)
            {
                await Task.Delay(20, timeout.Token);
            }
        }

        Assert.Equal(4001, entry.Value.GetProperty("code").GetInt32());
        Assert.Equal("bye", entry.Value.GetProperty("reason").GetString());
        Assert.Equal(2, entry.Value.GetProperty("status").GetInt32()); // the seed's 2: closed
    }

    [Theory]
    [InlineData("/reject", 403)]
    [InlineData("/reject?status=401", 401)]
    public async Task Reject_must_answer_the_status_payload_and_headers_it_was_given(string path, int status)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        using var client = new ClientWebSocket();
        client.Options.CollectHttpResponseDetails = true;
        await Assert.ThrowsAsync<WebSocketException>(() => client.ConnectAsync(Ws(path), timeout.Token));
        Assert.Equal((HttpStatusCode)status, client.HttpStatusCode);
        Assert.Equal("test", client.HttpResponseHeaders!["x-reason"].Single());
    }

    [Fact]
    public async Task An_upgrade_handler_that_raises_must_answer_500_and_the_next_upgrade_must_be_accepted()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        using (var failing = new ClientWebSocket())
        {
            failing.Options.CollectHttpResponseDetails = true;
            await Assert.ThrowsAsync<WebSocketException>(() => failing.ConnectAsync(Ws("/raise"), timeout.Token));
            Assert.Equal(HttpStatusCode.InternalServerError, failing.HttpStatusCode);
        }

        using var next = new ClientWebSocket();
        await next.ConnectAsync(Ws("/chat?after-raise"), timeout.Token);
        Assert.Equal(WebSocketState.Open, next.State);
    }

    [Fact]
    public async Task An_on_receive_that_raises_must_close_the_session_with_1011_and_others_must_go_on()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        using var failing = new ClientWebSocket();
        using var other = new ClientWebSocket();
        await failing.ConnectAsync(Ws("/chat?failing"), timeout.Token);
        await other.ConnectAsync(Ws("/chat?other"), timeout.Token);
        await Send(failing, "fail", timeout.Token);
        var result = await failing.ReceiveAsync(new byte[64], timeout.Token);
        Assert.Equal(WebSocketMessageType.Close, result.MessageType);
        Assert.Equal(WebSocketCloseStatus.InternalServerError, failing.CloseStatus);

        await Send(other, "still here", timeout.Token);
        Assert.Equal("still here", await ReceiveText(other, timeout.Token));
    }

    private static Task Send(ClientWebSocket socket, string text, CancellationToken token) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, token);

    private static async Task<string> ReceiveText(ClientWebSocket socket, CancellationToken token)
    {
        var buffer = new byte[4096];
        var result = await socket.ReceiveAsync(buffer, token);
        Assert.Equal(WebSocketMessageType.Text, result.MessageType);
        Assert.True(result.EndOfMessage);
        return Encoding.UTF8.GetString(buffer, 0, result.Count);
    }
}

/// <summary>An SSGIFramework that mixes interfaces: HTTP through wsgi, WebSockets through Python ssgi.</summary>
[Collection(PythonCollection.Name)]
public sealed class PythonSsgiMixingSpec
{
    [Fact]
    public async Task Http_bound_to_wsgi_and_websockets_bound_to_ssgi_must_both_be_served()
    {
        await using var server = await PythonServer.StartAsync("ssgi_app:mixed", PythonInterfaces.Ssgi);
        using var http = server.CreateClient();
        Assert.Equal("hello from wsgi 1.0", await http.GetStringAsync("/"));

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var client = new ClientWebSocket();
        await client.ConnectAsync(new Uri($"ws://{server.BaseAddress.Authority}/chat?mixed"), timeout.Token);
        await client.SendAsync(Encoding.UTF8.GetBytes("mixed"), WebSocketMessageType.Text, true, timeout.Token);
        var buffer = new byte[64];
        var result = await client.ReceiveAsync(buffer, timeout.Token);
        Assert.Equal("mixed", Encoding.UTF8.GetString(buffer, 0, result.Count));
        await client.CloseAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
    }
}
