using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Xunit.Abstractions;

namespace ActorSsgi.Python.Tests;

/// <summary>The inbound queue of an ASGI WebSocket session is bounded: a full queue pauses reading, it never drops.</summary>
[Collection(PythonCollection.Name)]
public sealed class AsgiWebSocketBackpressureSpec(StarletteServer starlette, ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private readonly PythonServer _server = starlette.Server;

    [Fact]
    public async Task A_client_sending_to_an_app_that_does_not_receive_must_be_held_back_and_lose_nothing()
    {
        const int MessageSize = 64 * 1024;
        const int MaxMessages = 2000; // 125 MiB if nothing held the client back
        var id = Guid.NewGuid().ToString("N");
        using var ws = new ClientWebSocket();
        using (var connect = new CancellationTokenSource(Timeout))
        {
            await ws.ConnectAsync(new Uri($"ws://{_server.BaseAddress.Authority}/ws/hold?id={id}"), connect.Token);
        }

        var payload = new byte[MessageSize];
        var sent = 0;
        Task? held = null;
        while (sent < MaxMessages)
        {
            var send = ws.SendAsync(payload, WebSocketMessageType.Binary, true, CancellationToken.None);
            sent++;
            // A send still pending after a second means the server has stopped reading this client.
            if (await Task.WhenAny(send, Task.Delay(TimeSpan.FromSeconds(1))) != send)
            {
                held = send;
                break;
            }

            await send;
        }

        output.WriteLine($"held back after {sent} messages ({sent * (long)MessageSize / 1024} KiB)");
        Assert.NotNull(held);
        // 32 queued messages (2 MiB) plus socket and Kestrel buffers; far below what an unbounded queue would take.
        Assert.InRange((long)sent * MessageSize, 2L * 1024 * 1024, 32L * 1024 * 1024);

        using var client = _server.CreateClient();
        Assert.Equal("released", await client.GetStringAsync($"/ws/release?id={id}"));
        await held!.WaitAsync(Timeout);
        using var cts = new CancellationTokenSource(Timeout);
        await ws.SendAsync(Encoding.UTF8.GetBytes("end"), WebSocketMessageType.Text, true, cts.Token);

        var buffer = new byte[4096];
        var result = await ws.ReceiveAsync(buffer, cts.Token);
        using var json = JsonDocument.Parse(buffer.AsMemory(0, result.Count));
        Assert.Equal(sent, json.RootElement.GetProperty("count").GetInt32());
        Assert.Equal((long)sent * MessageSize, json.RootElement.GetProperty("bytes").GetInt64());
    }
}
