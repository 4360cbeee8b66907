using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using Xunit.Abstractions;

namespace ActorSsgi.FunctionalTests.WebSockets;

/// <summary>
/// Clients that stop taking part: one that answers no ping (IdleTimeout), one that never answers the server's close
/// (the 5 s close timeout), one that never reads. The server must let go of each, and free its session slot.
/// </summary>
[Collection(WsSerialCollection.Name)]
public sealed class UnresponsiveClientTests(ITestOutputHelper output)
{
    private static readonly string[] ShortKeepAlive =
    [
        "ActorSsgi:WebSockets:KeepAliveInterval=00:00:01",
        "ActorSsgi:WebSockets:IdleTimeout=00:00:02",
    ];

    [Fact]
    public async Task A_client_that_never_answers_pings_is_disconnected_after_IdleTimeout()
    {
        await using var server = await WsServer.StartAsync([.. ShortKeepAlive, "ActorSsgi:WebSockets:MaxSessions=1"]);
        using var client = await RawUpgradeAsync(server, "/ws/echo");

        var (elapsed, received) = await ReadUntilDisconnectedAsync(client, TimeSpan.FromSeconds(15), "a client that answers no ping, with IdleTimeout = 2 s");

        output.WriteLine($"disconnected after {elapsed.TotalMilliseconds:0} ms, {received.Length} bytes received");
        Assert.InRange(elapsed, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(10));
        await AdmittedAgainAsync(server);
    }

    [Fact]
    public async Task A_client_that_answers_pings_but_sends_nothing_stays_open()
    {
        await using var server = await WsServer.StartAsync(ShortKeepAlive);
        using var ws = await WsClient.ConnectAsync(server.Ws("/ws/echo"));

        // ClientWebSocket answers the server's pings while this receive waits; nothing else arrives for 4 s,
        // twice the idle timeout.
        await Assert.ThrowsAsync<TimeoutException>(() => ws.ReceiveAsync(TimeSpan.FromSeconds(4)));

        // That receive timeout aborted this client socket; the server, though, never closed it: no close arrived.
        Assert.Null(ws.CloseStatus);
    }

    [Fact]
    public async Task A_client_that_never_answers_the_servers_close_is_disconnected_after_the_close_timeout()
    {
        await using var server = await WsServer.StartAsync("ActorSsgi:WebSockets:MaxSessions=1");
        using var client = await RawUpgradeAsync(server, "/ws/close?code=4001");

        var (elapsed, received) = await ReadUntilDisconnectedAsync(client, TimeSpan.FromSeconds(15), "a client that never answers the close frame");

        output.WriteLine($"disconnected after {elapsed.TotalMilliseconds:0} ms, {received.Length} bytes received");
        Assert.Equal(0x88, received[0]); // the close frame came first
        Assert.Equal(4001, (received[2] << 8) | received[3]);
        Assert.InRange(elapsed, TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(12));
        await AdmittedAgainAsync(server);
    }

    [Fact]
    public async Task A_client_that_never_reads_is_dropped_after_the_close_timeout_and_frees_its_session()
    {
        await using var server = await WsServer.StartAsync(
            "ActorSsgi:WebSockets:MaxBackpressure=65536",
            "ActorSsgi:WebSockets:CloseOnBackpressureLimit=true",
            "ActorSsgi:WebSockets:MaxSessions=2");
        var room = server.Ws("/ws/chat?room=flood");
        using var smallBuffers = WsClient.SmallReceiveBufferInvoker();
        using var sleeper = await WsClient.ConnectAsync(room, invoker: smallBuffers);
        using var publisher = await WsClient.ConnectAsync(room);

        var payload = new byte[64 * 1024];
        for (var i = 0; i < 256; i++)
        {
            await publisher.SendBinaryAsync(payload);
            Assert.Equal(WebSocketMessageType.Binary, (await publisher.ReceiveAsync()).Type);
        }

        // The sleeper's session is past its limit and closing, but its close frame is stuck behind data the
        // sleeper never reads: the server must give up on it after its close timeout and free the slot.
        var watch = Stopwatch.StartNew();
        await AdmittedAgainAsync(server, TimeSpan.FromSeconds(15));
        output.WriteLine($"a third session was admitted {watch.ElapsedMilliseconds} ms after the flood");
        await publisher.CloseQuietlyAsync();
    }

    /// <summary>A raw TCP client that completes the upgrade and then does nothing a WebSocket client should.</summary>
    private static async Task<TcpClient> RawUpgradeAsync(WsServer server, string path)
    {
        var client = new TcpClient();
        await client.ConnectAsync(server.EndPoint);
        var request = string.Join("\r\n", WsRawHttp.UpgradeRequest(server.EndPoint, path)) + "\r\n\r\n";
        await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes(request));
        var head = new List<byte>();
        var one = new byte[1];
        while (head.Count < 4 || !(head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n'))
        {
            Assert.Equal(1, await client.GetStream().ReadAsync(one));
            head.Add(one[0]);
        }

        Assert.StartsWith("HTTP/1.1 101", Encoding.ASCII.GetString(head.ToArray()));
        return client;
    }

    /// <summary>Reads (never answering anything) until the server ends the connection; fails after <paramref name="limit"/>.</summary>
    private static async Task<(TimeSpan Elapsed, byte[] Received)> ReadUntilDisconnectedAsync(TcpClient client, TimeSpan limit, string who)
    {
        var watch = Stopwatch.StartNew();
        var received = new MemoryStream();
        var buffer = new byte[4096];
        using var deadline = new CancellationTokenSource(limit);
        try
        {
            int n;
            while ((n = await client.GetStream().ReadAsync(buffer, deadline.Token)) > 0)
            {
                received.Write(buffer, 0, n);
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            Assert.Fail($"The server kept {who} open for {limit.TotalSeconds:0} s (it sent {received.Length} bytes: {Convert.ToHexString(received.ToArray().Take(32).ToArray())}).");
        }
        catch (IOException)
        {
            // A reset ends the connection too.
        }

        return (watch.Elapsed, received.ToArray());
    }

    /// <summary>Waits until a new session is admitted (503 until a slot is free); proves the old session ended.</summary>
    private static async Task AdmittedAgainAsync(WsServer server, TimeSpan? limit = null)
    {
        var deadline = DateTime.UtcNow + (limit ?? WsClient.Timeout);
        while (true)
        {
            var attempt = new ClientWebSocket();
            attempt.Options.CollectHttpResponseDetails = true;
            try
            {
                using var timeout = new CancellationTokenSource(WsClient.Timeout);
                await attempt.ConnectAsync(server.Ws("/ws/echo"), timeout.Token);
                await attempt.CloseQuietlyAsync();
                return;
            }
            catch (WebSocketException) when (attempt.HttpStatusCode == HttpStatusCode.ServiceUnavailable)
            {
                attempt.Dispose();
                Assert.True(DateTime.UtcNow < deadline, "The session slot of the unresponsive client was never freed (still 503).");
                await Task.Delay(50);
            }
        }
    }
}
