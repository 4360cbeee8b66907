using System.Text.Json;

namespace ActorSsgi.Python.Tests;

/// <summary>The Starlette WebSocket routes as Debian's python3-websockets client sees them.</summary>
[Collection(PythonCollection.Name)]
public sealed class StarletteWebSocketPythonClientSpec(StarletteServer starlette)
{
    private readonly PythonServer _server = starlette.Server;

    private string Base => $"ws://{_server.BaseAddress.Authority}";

    [Fact]
    public async Task Text_bytes_and_a_thousand_messages_must_echo_in_order()
    {
        var result = await PythonWebSocketClient.RunAsync("echo", Base);
        Assert.Equal("héllo", result.GetProperty("text").GetString());
        Assert.True(result.GetProperty("bytes_ok").GetBoolean());
        Assert.True(result.GetProperty("in_order").GetBoolean());
    }

    [Fact]
    public async Task The_subprotocol_the_app_accepts_must_be_negotiated()
    {
        var result = await PythonWebSocketClient.RunAsync("subprotocol", Base);
        Assert.Equal("echo.v2", result.GetProperty("subprotocol").GetString());
    }

    [Fact]
    public async Task An_app_close_must_reach_the_client_with_its_code_and_reason()
    {
        var result = await PythonWebSocketClient.RunAsync("app_close", Base);
        Assert.Equal(4000, result.GetProperty("code").GetInt32());
        Assert.Equal("bye for now", result.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_client_close_must_reach_the_app_as_websocket_disconnect()
    {
        var code = 4000 + Random.Shared.Next(100, 999);
        var result = await PythonWebSocketClient.RunAsync("client_close", Base, code.ToString());
        Assert.Equal("ping", result.GetProperty("echo").GetString());
        Assert.Equal(code, result.GetProperty("code").GetInt32());

        using var client = _server.CreateClient();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
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
    public async Task A_close_before_accept_must_be_an_HTTP_403()
    {
        var result = await PythonWebSocketClient.RunAsync("reject", Base);
        Assert.Equal(403, result.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task An_app_raising_after_accept_must_close_with_1011_and_the_next_session_must_work()
    {
        var result = await PythonWebSocketClient.RunAsync("fail", Base);
        Assert.Equal(1011, result.GetProperty("code").GetInt32());
        Assert.Equal("after", result.GetProperty("next").GetString());
    }
}
