using System.Buffers.Binary;
using System.Diagnostics;
using System.Net.WebSockets;
using ActorSsgi.ClusterTests.Fixtures;

namespace ActorSsgi.ClusterTests.Figures;

/// <summary>
/// Cross-node chat latency: a sender on one node publishes binary messages stamped with the send time at a fixed
/// rate; a receiver on another node in the same room records arrival minus stamp (one process, one clock).
/// </summary>
public static class LatencyProbe
{
    public static async Task<string> RunAsync(DemoNode senderNode, DemoNode receiverNode, int rate, TimeSpan duration) =>
        (await RunSamplesAsync(senderNode, receiverNode, rate, duration)).ToString();

    /// <summary>The same run, returning every message's send and arrival time for analysis.</summary>
    public static async Task<LatencySamples> RunSamplesAsync(DemoNode senderNode, DemoNode receiverNode, int rate, TimeSpan duration)
    {
        var room = "latency-" + Guid.NewGuid().ToString("N")[..8];
        using var sender = await Connect(senderNode.Ws($"/ws/chat?room={room}"));
        using var receiver = await Connect(receiverNode.Ws($"/ws/chat?room={room}"));
        var total = (int)(rate * duration.TotalSeconds);
        var sent = new List<long>(total);
        var arrived = new List<long>(total);
        var warmedUp = new TaskCompletionSource();
        var done = new TaskCompletionSource();

        // The sender's own copies come back too: drain them so its socket never backs up, and count them, so that a
        // message missing at the receiver can be told apart from one that never left the sender's node.
        var echoes = 0;
        _ = Drain(sender, () => Interlocked.Increment(ref echoes));
        _ = Task.Run(async () =>
        {
            var buffer = new byte[256];
            while (receiver.State == WebSocketState.Open)
            {
                // A frame split across TCP reads arrives in parts: read to the end of the message.
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await receiver.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None);
                    length += result.Count;
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                var now = Stopwatch.GetTimestamp();
                var sequence = BinaryPrimitives.ReadInt32LittleEndian(buffer);
                if (sequence < 0)
                {
                    warmedUp.TrySetResult();
                    continue;
                }

                sent.Add(BinaryPrimitives.ReadInt64LittleEndian(buffer.AsSpan(4)));
                arrived.Add(now);
                if (arrived.Count == total)
                {
                    done.TrySetResult();
                }
            }
        });

        // Wait until the room spans both nodes (subscriptions spread by gossip).
        var message = new byte[32];
        var warmUps = 0;
        while (!warmedUp.Task.IsCompleted)
        {
            warmUps++;
            BinaryPrimitives.WriteInt32LittleEndian(message, -1);
            await sender.SendAsync(message, WebSocketMessageType.Binary, true, CancellationToken.None);
            await Task.WhenAny(warmedUp.Task, Task.Delay(100));
        }

        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < total; i++)
        {
            await ActorSsgi.ClusterReference.ClockPace.UntilDue(start, i, rate);

            BinaryPrimitives.WriteInt32LittleEndian(message, i);
            BinaryPrimitives.WriteInt64LittleEndian(message.AsSpan(4), Stopwatch.GetTimestamp());
            await sender.SendAsync(message, WebSocketMessageType.Binary, true, CancellationToken.None);
        }

        var sendSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        var allArrived = await Task.WhenAny(done.Task, Task.Delay(TimeSpan.FromSeconds(30))) == done.Task;
        var stalled = 0;
        var afterPoke = 0;
        if (!allArrived)
        {
            // Missing after 30 s: stuck or lost? One more message through the same path wakes anything merely stuck
            // (a mailbox or a send queue nobody rescheduled); what arrives after it was stalled, not lost.
            stalled = arrived.Count;
            BinaryPrimitives.WriteInt32LittleEndian(message, -2);
            await sender.SendAsync(message, WebSocketMessageType.Binary, true, CancellationToken.None);
            allArrived = await Task.WhenAny(done.Task, Task.Delay(TimeSpan.FromSeconds(5))) == done.Task;
            afterPoke = arrived.Count - stalled;
        }
        // After a time-out the receiver loop may still be adding: take the pairs both lists hold.
        var count = Math.Min(sent.Count, arrived.Count);
        return new LatencySamples([.. sent.Take(count)], [.. arrived.Take(count)], total, total / sendSeconds, !allArrived)
        {
            // Minus the warm-up messages the sender also got back.
            EchoedToSender = Volatile.Read(ref echoes) - warmUps - (stalled > 0 ? 1 : 0),
            ArrivedAfterPoke = stalled > 0 ? afterPoke : null,
        };
    }

    internal static async Task<ClientWebSocket> Connect(Uri uri)
    {
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(uri, CancellationToken.None);
        return socket;
    }

    internal static async Task Drain(ClientWebSocket socket, Action? onMessage = null)
    {
        var buffer = new byte[4096];
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                if (result.EndOfMessage)
                {
                    onMessage?.Invoke();
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException)
        {
            // The probe is over.
        }
    }
}
