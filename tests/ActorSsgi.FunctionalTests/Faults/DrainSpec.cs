using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using ActorSsgi.FunctionalTests.Fixtures;
using ActorSsgi.FunctionalTests.WebSockets;

namespace ActorSsgi.FunctionalTests.Faults;

/// <summary>
/// Drain under load: SIGTERM to the demo process while 20 requests are in the middle of their bodies and 20 WebSocket
/// sessions are open. Every request completes, every session gets 1001, and the process exits 0 within the drain
/// timeout. (One request, an idle connection and refusal of new connections: Lifecycle/GracefulShutdownSpec.)
/// </summary>
[Collection(FaultsCollection.Name)]
[Trait("Category", "Faults")]
public sealed class DrainSpec
{
    private const int Requests = 20;
    private const int Sessions = 20;
    private const int BodySize = 1024;

    [Fact(Timeout = 60_000)]
    public async Task On_sigterm_in_flight_requests_complete_sessions_get_1001_and_the_process_exits_within_the_drain_timeout()
    {
        var drainTimeout = TimeSpan.FromSeconds(5);
        await using var demo = await DemoProcess.StartAsync($"ActorSsgi:DrainTimeout={drainTimeout}");
        var head = Encoding.ASCII.GetBytes($"POST /stream HTTP/1.1\r\nHost: t\r\nContent-Length: {BodySize}\r\n\r\n");
        var body = Enumerable.Range(0, BodySize).Select(i => (byte)('a' + i % 26)).ToArray();

        var requests = new List<RawHttpConnection>();
        var sessions = new List<ClientWebSocket>();
        try
        {
            for (var i = 0; i < Requests; i++)
            {
                var connection = await RawHttpConnection.ConnectAsync(demo.EndPoint);
                requests.Add(connection);
                await connection.SendAsync(head);
                await connection.SendAsync(body.AsMemory(0, BodySize / 2));
            }

            // Each echoed head means its handler is running with half its body still to come: in flight.
            var heads = new List<RawHttpHead>();
            foreach (var connection in requests)
            {
                using var timeout = new CancellationTokenSource(RawHttpConnection.DefaultTimeout);
                heads.Add(await connection.ReadHeadAsync(timeout.Token));
            }

            var ws = new Uri($"ws://{demo.BaseAddress.Authority}/ws/echo");
            for (var i = 0; i < Sessions; i++)
            {
                var session = await WsClient.ConnectAsync(ws);
                sessions.Add(session);
                await session.SendTextAsync("hello " + i);
                Assert.Equal("hello " + i, (await session.ReceiveAsync()).Text);
            }

            demo.Terminate();
            var terminatedAt = Stopwatch.StartNew();

            // The sessions are closed with 1001 while the requests are still waiting for the rest of their bodies.
            var closes = await Task.WhenAll(sessions.Select(s => s.ReceiveCloseAsync()));
            Assert.All(closes, c => Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, c.Close.CloseStatus));
            await Task.WhenAll(sessions.Select(s => s.AnswerCloseAsync()));

            // Now the bodies end: every in-flight request completes with its whole echo.
            var echoes = await Task.WhenAll(requests.Select(async (connection, i) =>
            {
                await connection.SendAsync(body.AsMemory(BodySize / 2));
                using var timeout = new CancellationTokenSource(RawHttpConnection.DefaultTimeout);
                var echoed = new List<byte>();
                await connection.ReadBodyAsync(heads[i], chunk => echoed.AddRange(chunk.ToArray()), timeout.Token);
                return (heads[i].Status, Body: echoed.ToArray());
            }));
            Assert.All(echoes, e => Assert.Equal(200, e.Status));
            Assert.All(echoes, e => Assert.Equal(body, e.Body));

            var exitCode = await demo.WaitForExitAsync(drainTimeout + TimeSpan.FromSeconds(5));
            Assert.True(exitCode == 0, $"exit code {exitCode?.ToString() ?? "none (still running)"}; output:\n{demo.Output}");
            Assert.True(terminatedAt.Elapsed < drainTimeout + TimeSpan.FromSeconds(1), $"the process took {terminatedAt.Elapsed} to exit (drain timeout {drainTimeout})");
        }
        finally
        {
            foreach (var session in sessions)
            {
                session.Dispose();
            }

            foreach (var connection in requests)
            {
                await connection.DisposeAsync();
            }
        }
    }
}
