using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using Xunit.Abstractions;

namespace ActorSsgi.FunctionalTests.WebSockets;

/// <summary>
/// MaxSessions, backpressure and graceful shutdown, each on a server of its own. Serial: they measure memory and
/// depend on the server's close timeout, so they run alone.
/// </summary>
[Collection(WsSerialCollection.Name)]
public sealed class LimitsAndShutdownTests(ITestOutputHelper output)
{
    private const int FloodMessageSize = 64 * 1024;

    [Fact]
    public async Task With_MaxSessions_2_a_third_upgrade_gets_503_until_a_session_ends()
    {
        await using var server = await WsServer.StartAsync("ActorSsgi:WebSockets:MaxSessions=2");
        using var first = await WsClient.ConnectAsync(server.Ws("/ws/echo"));
        using var second = await WsClient.ConnectAsync(server.Ws("/ws/echo"));

        var third = new ClientWebSocket();
        third.Options.CollectHttpResponseDetails = true;
        using (var timeout = new CancellationTokenSource(WsClient.Timeout))
        {
            await Assert.ThrowsAsync<WebSocketException>(() => third.ConnectAsync(server.Ws("/ws/echo"), timeout.Token));
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, third.HttpStatusCode);
        third.Dispose();

        // The raw answer says why.
        var raw = await WsRawHttp.SendAsync(server.EndPoint, [.. WsRawHttp.UpgradeRequest(server.EndPoint, "/ws/echo")]);
        Assert.True(raw.Status == 503, raw.ToString());

        // Plain HTTP is not a session and is still served.
        var http = await WsRawHttp.SendAsync(server.EndPoint, "GET /plaintext HTTP/1.1", $"Host: {server.EndPoint}", "Connection: close");
        Assert.True(http.Status == 200, http.ToString());

        // Once a session has ended, a new one is admitted (a 503 in between is fine; anything else is not).
        await first.CloseQuietlyAsync();
        var deadline = DateTime.UtcNow + WsClient.Timeout;
        ClientWebSocket? replacement = null;
        while (replacement is null)
        {
            var attempt = new ClientWebSocket();
            attempt.Options.CollectHttpResponseDetails = true;
            try
            {
                using var timeout = new CancellationTokenSource(WsClient.Timeout);
                await attempt.ConnectAsync(server.Ws("/ws/echo"), timeout.Token);
                replacement = attempt;
            }
            catch (WebSocketException) when (attempt.HttpStatusCode == HttpStatusCode.ServiceUnavailable && DateTime.UtcNow < deadline)
            {
                attempt.Dispose();
                await Task.Delay(20);
            }
            catch (WebSocketException ex)
            {
                attempt.Dispose();
                throw new Xunit.Sdk.XunitException($"Reconnecting after a session ended failed with HTTP {(int)attempt.HttpStatusCode}: {ex.Message}");
            }
        }

        await replacement.SendTextAsync("admitted");
        Assert.Equal("admitted", (await replacement.ReceiveAsync()).Text);
        await Task.WhenAll(replacement.CloseQuietlyAsync(), second.CloseQuietlyAsync());
        Assert.Empty(server.Log.Errors);
    }

    [Fact]
    public async Task A_client_that_never_reads_is_closed_with_1008_when_CloseOnBackpressureLimit_is_set()
    {
        await using var server = await WsServer.StartAsync(
            "ActorSsgi:WebSockets:MaxBackpressure=65536",
            "ActorSsgi:WebSockets:CloseOnBackpressureLimit=true");
        var room = server.Ws("/ws/chat?room=flood");
        using var smallBuffers = WsClient.SmallReceiveBufferInvoker();
        using var sleeper = await WsClient.ConnectAsync(room, invoker: smallBuffers);
        using var publisher = await WsClient.ConnectAsync(room);

        // 16 MiB through the room while the sleeper reads nothing. The publisher reads its own copies, so it is
        // never the slow one; its last copy means every message has been handed to the sleeper's session too.
        var flood = Stopwatch.StartNew();
        var sent = await FloodAsync(publisher, count: 256);
        output.WriteLine($"published {sent} x {FloodMessageSize} bytes in {flood.ElapsedMilliseconds} ms");

        var watch = Stopwatch.StartNew();
        var (close, received) = await sleeper.ReceiveCloseAsync();
        output.WriteLine($"sleeper read {received} messages, then {close} after {watch.ElapsedMilliseconds} ms");

        Assert.Equal(1008, (int?)close.CloseStatus);
        Assert.True(received < sent, $"The sleeper got all {sent} messages; nothing was held back.");
        await sleeper.AnswerCloseAsync();

        // The publisher was never slow and is still in the room.
        await publisher.SendTextAsync("still here");
        Assert.Empty(await publisher.ReceiveUntilTextAsync("still here"));
        await publisher.CloseQuietlyAsync();
    }

    [Fact]
    public async Task Without_CloseOnBackpressureLimit_a_client_that_never_reads_loses_messages_but_stays_open_with_bounded_memory()
    {
        await using var server = await WsServer.StartAsync("ActorSsgi:WebSockets:MaxBackpressure=262144");
        var room = server.Ws("/ws/chat?room=flood");
        using var smallBuffers = WsClient.SmallReceiveBufferInvoker();
        using var sleeper = await WsClient.ConnectAsync(room, invoker: smallBuffers);
        using var publisher = await WsClient.ConnectAsync(room);

        var before = GC.GetTotalMemory(forceFullCollection: true);
        var flood = Stopwatch.StartNew();
        var sent = await FloodAsync(publisher, count: 1024); // 64 MiB
        output.WriteLine($"flood took {flood.ElapsedMilliseconds} ms");
        var after = GC.GetTotalMemory(forceFullCollection: true);
        var growth = after - before;
        output.WriteLine($"published {sent} x {FloodMessageSize} bytes; managed heap grew by {growth / 1024} KiB while the sleeper read nothing");

        // What the server holds for the sleeper is bounded by MaxBackpressure (plus kernel buffers, which are not
        // on the managed heap); holding the flood would be 64 MiB.
        Assert.True(growth < 24 * 1024 * 1024, $"The managed heap grew by {growth / (1024 * 1024)} MiB during a 64 MiB flood to a client that never read.");

        // The sleeper wakes up: it gets some of the flood, then (the session being open) a marker. Markers are
        // published until one gets through, since the first ones may meet a still-full queue and be dropped.
        var received = 0;
        using var stopMarkers = new CancellationTokenSource();
        var markers = Task.Run(async () =>
        {
            for (var i = 0; !stopMarkers.IsCancellationRequested; i++)
            {
                await publisher.SendTextAsync("wake-" + i);
                Assert.Empty(await publisher.ReceiveUntilTextAsync("wake-" + i));
                await Task.Delay(50); // pacing, not waiting for anything
            }
        });
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var message = await sleeper.ReceiveAsync(deadline - DateTime.UtcNow, "a wake-up marker");
            Assert.False(message.IsClose, $"The sleeper was closed ({message}) although CloseOnBackpressureLimit is off.");
            if (message.Type == WebSocketMessageType.Text && message.Text.StartsWith("wake-", StringComparison.Ordinal))
            {
                break;
            }

            received++;
        }

        stopMarkers.Cancel();
        await markers.WaitAsync(WsClient.Timeout);
        output.WriteLine($"the sleeper then read {received} of {sent} flood messages before a marker");
        Assert.True(received < sent, $"The sleeper got all {sent} messages; nothing was dropped.");
        Assert.Equal(WebSocketState.Open, sleeper.State);
        await Task.WhenAll(sleeper.CloseQuietlyAsync(), publisher.CloseQuietlyAsync());
    }

    [Fact]
    public async Task Stopping_the_host_closes_open_sessions_with_1001()
    {
        var server = await WsServer.StartAsync();
        try
        {
            using var echo = await WsClient.ConnectAsync(server.Ws("/ws/echo"));
            using var chat = await WsClient.ConnectAsync(server.Ws("/ws/chat?room=shutdown"));
            await echo.SendTextAsync("ready");
            Assert.Equal("ready", (await echo.ReceiveAsync()).Text);

            // Both clients are reading (and will answer the close) while the host stops.
            var closes = new[] { echo, chat }.Select(async ws =>
            {
                var (close, _) = await ws.ReceiveCloseAsync(TimeSpan.FromSeconds(15));
                await ws.AnswerCloseAsync();
                return close;
            }).ToArray();
            var watch = Stopwatch.StartNew();
            await server.StopAsync();
            output.WriteLine($"host stopped in {watch.ElapsedMilliseconds} ms");

            foreach (var close in await Task.WhenAll(closes))
            {
                Assert.Equal(1001, (int?)close.CloseStatus);
            }

            Assert.Equal(WebSocketState.Closed, echo.State);
            Assert.Equal(WebSocketState.Closed, chat.State);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    /// <summary>
    /// Publishes <paramref name="count"/> large messages, each after the previous one came back to the publisher
    /// (one in flight: the publisher's own session must never be the one past MaxBackpressure).
    /// </summary>
    private static async Task<int> FloodAsync(WebSocket publisher, int count)
    {
        var payload = new byte[FloodMessageSize];
        const int window = 1;
        var inFlight = 0;
        var sent = 0;
        var echoed = 0;
        while (echoed < count)
        {
            while (sent < count && inFlight < window)
            {
                payload[0] = (byte)sent;
                await publisher.SendBinaryAsync(payload);
                sent++;
                inFlight++;
            }

            var echo = await publisher.ReceiveAsync(what: $"the publisher's own message {echoed}");
            Assert.False(echo.IsClose, $"The publisher was closed: {echo}");
            echoed++;
            inFlight--;
        }

        return sent;
    }
}
