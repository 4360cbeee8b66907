using System.Diagnostics;
using System.Net.WebSockets;
using ActorSsgi.ClusterTests.Fixtures;

namespace ActorSsgi.ClusterTests.Figures;

/// <summary>
/// Fan-out throughput: subscribers spread round-robin over <c>nodes</c>, one publisher on <c>publisherNode</c> sends
/// <c>messages</c> messages in windows of 20 (it waits for its own copies, so the servers are never flooded past
/// their backpressure limits); deliveries/s = subscribers x messages / time until every subscriber has every message.
/// </summary>
public static class FanOutProbe
{
    public static async Task<string> RunAsync(DemoNode publisherNode, IReadOnlyList<DemoNode> nodes, int subscribers, int messages)
    {
        var room = "fanout-" + Guid.NewGuid().ToString("N")[..8];
        var sockets = new List<ClientWebSocket>();
        long received = 0;
        try
        {
            for (var i = 0; i < subscribers; i++)
            {
                var socket = await LatencyProbe.Connect(nodes[i % nodes.Count].Ws($"/ws/chat?room={room}"));
                sockets.Add(socket);
                _ = LatencyProbe.Drain(socket, () => Interlocked.Increment(ref received));
            }

            using var publisher = await LatencyProbe.Connect(publisherNode.Ws($"/ws/chat?room={room}"));
            long own = 0;
            _ = LatencyProbe.Drain(publisher, () => Interlocked.Increment(ref own));

            // Warm-up: until one message reaches every subscriber (the room spans the nodes).
            var payload = new byte[64];
            while (true)
            {
                Interlocked.Exchange(ref received, 0);
                await publisher.SendAsync(payload, WebSocketMessageType.Binary, true, CancellationToken.None);
                var deadline = DateTime.UtcNow.AddSeconds(1);
                while (Interlocked.Read(ref received) < subscribers && DateTime.UtcNow < deadline)
                {
                    await Task.Delay(20);
                }

                if (Interlocked.Read(ref received) >= subscribers)
                {
                    break;
                }
            }

            await Task.Delay(200);
            Interlocked.Exchange(ref received, 0);
            Interlocked.Exchange(ref own, 0);
            var watch = Stopwatch.StartNew();
            for (var sent = 0; sent < messages; sent++)
            {
                await publisher.SendAsync(payload, WebSocketMessageType.Binary, true, CancellationToken.None);
                while (sent + 1 - Interlocked.Read(ref own) > 20)
                {
                    await Task.Delay(1);
                }
            }

            var expected = (long)subscribers * messages;
            var end = DateTime.UtcNow.AddSeconds(60);
            while (Interlocked.Read(ref received) < expected && DateTime.UtcNow < end)
            {
                await Task.Delay(5);
            }

            var seconds = watch.Elapsed.TotalSeconds;
            return $"{Interlocked.Read(ref received)}/{expected} deliveries in {seconds:0.00} s = {Interlocked.Read(ref received) / seconds:0} deliveries/s";
        }
        finally
        {
            foreach (var socket in sockets)
            {
                socket.Abort();
                socket.Dispose();
            }
        }
    }
}
