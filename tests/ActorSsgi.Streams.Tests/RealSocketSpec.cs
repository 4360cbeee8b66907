using System.Net;
using System.Net.WebSockets;
using System.Text;

namespace ActorSsgi.Streams.Tests;

public sealed class RealSocketSpec(StreamsServer server) : IClassFixture<StreamsServer>
{
    private HttpClient Client() => new() { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(20) };

    [Fact]
    public async Task An_upload_read_through_the_request_body_source_arrives_whole()
    {
        using var client = Client();
        var body = new byte[3 * 1024 * 1024 + 17];
        using var response = await client.PostAsync("/upload", new ByteArrayContent(body));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_response_streamed_from_a_source_carries_its_content_length_and_every_byte()
    {
        using var client = Client();
        using var response = await client.GetAsync("/stream?n=2000");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2000 * 1024L, response.Content.Headers.ContentLength);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(2000 * 1024, bytes.Length);
        Assert.All(bytes, b => Assert.Equal((byte)'x', b));
    }

    [Fact]
    public async Task A_source_that_fails_before_any_element_gives_a_500()
    {
        using var client = Client();
        using var response = await client.GetAsync("/fail");
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
    }

    [Fact]
    public async Task A_websocket_served_by_an_echo_flow_echoes_text_and_binary_and_closes_with_1000_when_the_client_closes()
    {
        using var ws = new ClientWebSocket();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await ws.ConnectAsync(new Uri($"ws://{server.BaseAddress.Authority}/echo"), timeout.Token);
        var buffer = new byte[4096];
        for (var i = 0; i < 20; i++)
        {
            await ws.SendAsync(Encoding.UTF8.GetBytes($"hello {i}"), WebSocketMessageType.Text, true, timeout.Token);
            var text = await ws.ReceiveAsync(buffer, timeout.Token);
            Assert.Equal(WebSocketMessageType.Text, text.MessageType);
            Assert.Equal($"hello {i}", Encoding.UTF8.GetString(buffer, 0, text.Count));
        }

        await ws.SendAsync(new byte[] { 1, 2, 3 }, WebSocketMessageType.Binary, true, timeout.Token);
        var binary = await ws.ReceiveAsync(buffer, timeout.Token);
        Assert.Equal(WebSocketMessageType.Binary, binary.MessageType);
        Assert.Equal(new byte[] { 1, 2, 3 }, buffer[..binary.Count]);

        await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, ws.CloseStatus);
    }

    [Fact]
    public async Task A_websocket_served_by_a_topic_source_receives_what_another_session_publishes_in_order()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var ws = new Uri(server.BaseAddress, "/").ToString().Replace("http", "ws", StringComparison.Ordinal);
        using var reader = new ClientWebSocket();
        using var publisher = new ClientWebSocket();
        // The /news source listens before its session is accepted, so nothing sent after connecting is missed.
        await reader.ConnectAsync(new Uri(ws + "news"), timeout.Token);
        await publisher.ConnectAsync(new Uri(ws + "publish"), timeout.Token);

        for (var i = 0; i < 20; i++)
        {
            await publisher.SendAsync(Encoding.UTF8.GetBytes($"news {i}"), WebSocketMessageType.Text, true, timeout.Token);
        }

        await publisher.SendAsync(new byte[] { 7, 8, 9 }, WebSocketMessageType.Binary, true, timeout.Token);

        var buffer = new byte[256];
        for (var i = 0; i < 20; i++)
        {
            var text = await reader.ReceiveAsync(buffer, timeout.Token);
            Assert.Equal(WebSocketMessageType.Text, text.MessageType);
            Assert.Equal($"news {i}", Encoding.UTF8.GetString(buffer, 0, text.Count));
        }

        var binary = await reader.ReceiveAsync(buffer, timeout.Token);
        Assert.Equal(WebSocketMessageType.Binary, binary.MessageType);
        Assert.Equal(new byte[] { 7, 8, 9 }, buffer[..binary.Count]);

        await reader.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
        await publisher.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
    }
}
