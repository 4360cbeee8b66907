using System.Net.WebSockets;
using System.Text;

namespace ActorSsgi.Python.Tests;

/// <summary>The plain ASGI echo (asgi_ws_echo.py, the benchmark app) on servers of its own, with their own settings.</summary>
[Collection(PythonCollection.Name)]
public sealed class RawAsgiWebSocketSpec
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_websocket_scope_must_carry_the_state_the_lifespan_startup_set()
    {
        await using var server = await PythonServer.StartAsync("asgi_ws_echo:app", PythonInterfaces.Asgi);
        using var ws = await ConnectAsync(server, "/state");
        Assert.Equal("lifespan", await ReceiveTextAsync(ws));
    }

    [Fact]
    public async Task A_queue_of_one_message_must_still_echo_a_thousand_messages_in_order()
    {
        await using var server = await PythonServer.StartAsync("asgi_ws_echo:app", PythonInterfaces.Asgi, "ActorSsgi:Python:AsgiWebSocketQueue=1");
        using var ws = await ConnectAsync(server, "/");
        var sending = Task.Run(async () =>
        {
            for (var i = 0; i < 1000; i++)
            {
                using var cts = new CancellationTokenSource(Timeout);
                await ws.SendAsync(Encoding.UTF8.GetBytes($"m{i}"), WebSocketMessageType.Text, true, cts.Token);
            }
        });
        for (var i = 0; i < 1000; i++)
        {
            Assert.Equal($"m{i}", await ReceiveTextAsync(ws));
        }

        await sending.WaitAsync(Timeout);
    }

    [Fact]
    public async Task A_queue_limit_below_one_must_fail_the_start_naming_the_setting()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() =>
            PythonServer.StartAsync("asgi_ws_echo:app", PythonInterfaces.Asgi, "ActorSsgi:Python:AsgiWebSocketQueue=0").WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Contains("AsgiWebSocketQueue must be at least 1", error.ToString());
    }

    private static async Task<ClientWebSocket> ConnectAsync(PythonServer server, string path)
    {
        var ws = new ClientWebSocket();
        using var cts = new CancellationTokenSource(Timeout);
        await ws.ConnectAsync(new Uri($"ws://{server.BaseAddress.Authority}{path}"), cts.Token);
        return ws;
    }

    private static async Task<string> ReceiveTextAsync(WebSocket ws)
    {
        using var cts = new CancellationTokenSource(Timeout);
        var buffer = new byte[4096];
        var result = await ws.ReceiveAsync(buffer, cts.Token);
        Assert.Equal(WebSocketMessageType.Text, result.MessageType);
        Assert.True(result.EndOfMessage);
        return Encoding.UTF8.GetString(buffer, 0, result.Count);
    }
}
