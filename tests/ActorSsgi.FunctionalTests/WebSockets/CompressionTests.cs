using System.Net.WebSockets;

namespace ActorSsgi.FunctionalTests.WebSockets;

/// <summary>permessage-deflate (RFC 7692): negotiated only when the server enables it and the client offers it.</summary>
public sealed class CompressionTests
{
    private static void OfferDeflate(ClientWebSocketOptions options)
    {
        options.DangerousDeflateOptions = new WebSocketDeflateOptions();
        options.CollectHttpResponseDetails = true;
    }

    [Fact]
    public async Task With_compression_enabled_an_offering_client_gets_permessage_deflate_and_messages_round_trip()
    {
        await using var server = await WsServer.StartAsync("ActorSsgi:WebSockets:Compression=true");
        using var socket = await WsClient.ConnectAsync(server.Ws("/ws/echo"), OfferDeflate);

        Assert.StartsWith("permessage-deflate", socket.HttpResponseHeaders!["Sec-WebSocket-Extensions"].Single());
        var compressible = string.Concat(Enumerable.Repeat("compress me, ", 5000));
        await socket.SendTextAsync(compressible);
        Assert.Equal(compressible, (await socket.ReceiveAsync()).Text);
        var binary = new byte[100_000];
        await socket.SendBinaryAsync(binary);
        var echoed = await socket.ReceiveAsync();
        Assert.Equal(WebSocketMessageType.Binary, echoed.Type);
        Assert.Equal(binary, echoed.Data);
        await socket.CloseQuietlyAsync();
    }

    [Fact]
    public async Task By_default_compression_is_not_negotiated_even_when_the_client_offers_it()
    {
        await using var server = await WsServer.StartAsync();
        using var socket = await WsClient.ConnectAsync(server.Ws("/ws/echo"), OfferDeflate);

        Assert.False(socket.HttpResponseHeaders!.ContainsKey("Sec-WebSocket-Extensions"));
        await socket.SendTextAsync("plain");
        Assert.Equal("plain", (await socket.ReceiveAsync()).Text);
        await socket.CloseQuietlyAsync();
    }
}
