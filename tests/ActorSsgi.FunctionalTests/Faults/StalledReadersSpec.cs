using System.Diagnostics;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using ActorSsgi.FunctionalTests.WebSockets;
using Xunit.Abstractions;

namespace ActorSsgi.FunctionalTests.Faults;

/// <summary>
/// Stalled readers: 200 WebSocket clients (raw sockets with a 4 KiB receive buffer) complete the handshake into a
/// chat room and never read again, while a publisher floods the room with 64 MiB. With the drop policy (the default,
/// <c>CloseOnBackpressureLimit=false</c>) the server holds at most <c>MaxBackpressure</c> per stalled session, keeps
/// every one of them open, and a client that reads is still served. (The 1008 policy, one stalled reader:
/// LimitsAndShutdownTests.)
/// </summary>
[Collection(FaultsCollection.Name)]
[Trait("Category", "Faults")]
public sealed class StalledReadersSpec(ITestOutputHelper output)
{
    private const int Stalled = 200;
    private const int MaxBackpressure = 64 * 1024;
    private const int MessageSize = 64 * 1024;
    private const int Messages = 1024;
    private const int KestrelOutputBuffer = 64 * 1024;

    [Fact(Timeout = 90_000)]
    public async Task Two_hundred_never_reading_clients_in_a_flooded_room_keep_memory_bounded_and_a_reader_served()
    {
        await using var server = await FaultServer.StartAsync(null, $"ActorSsgi:WebSockets:MaxBackpressure={MaxBackpressure}");
        const string room = "/ws/chat?room=stalled";
        var stalled = new List<Socket>(Stalled);
        try
        {
            for (var i = 0; i < Stalled; i++)
            {
                stalled.Add(await HandshakeAsync(server, room));
            }

            using var publisher = await WsClient.ConnectAsync(server.Ws(room));
            using var reader = await WsClient.ConnectAsync(server.Ws(room));
            await Fixtures.Eventually.Until(() => Task.FromResult(server.Sessions), n => n == Stalled + 2, TimeSpan.FromSeconds(10), "every session open");

            var received = 0;
            var readerDone = Task.Run(async () =>
            {
                while (true)
                {
                    var message = await reader.ReceiveAsync(TimeSpan.FromSeconds(30), "the flood or the marker");
                    Assert.False(message.IsClose, $"the reading client was closed: {message}");
                    if (message.Type == WebSocketMessageType.Text && message.Text.StartsWith("marker-", StringComparison.Ordinal))
                    {
                        return;
                    }

                    received++;
                }
            });

            var before = GC.GetTotalMemory(forceFullCollection: true);
            var watch = Stopwatch.StartNew();
            var payload = new byte[MessageSize];
            for (var i = 0; i < Messages; i++)
            {
                // One in flight: the publisher's own copy back means every session was handed this message.
                payload[0] = (byte)i;
                await publisher.SendBinaryAsync(payload);
                var echo = await publisher.ReceiveAsync(TimeSpan.FromSeconds(10), $"the echo of message {i}");
                Assert.Equal(MessageSize, echo.Data.Length);
            }

            var after = GC.GetTotalMemory(forceFullCollection: true);
            var growth = after - before;
            // Per stalled session the server may hold its MaxBackpressure queue, the message being written and
            // Kestrel's output buffer of the upgraded connection (64 KiB before its writes wait): 38 MiB for 200,
            // plus slack for both clients in this process. Holding the flood instead would be at least its 64 MiB.
            var bound = (long)Stalled * (MaxBackpressure + MessageSize + KestrelOutputBuffer) + 16 * 1024 * 1024;
            output.WriteLine($"{Messages} x {MessageSize / 1024} KiB to {Stalled + 2} sessions in {watch.ElapsedMilliseconds} ms; managed heap grew {growth / 1024} KiB (bound {bound / 1024} KiB)");
            Assert.True(growth < bound, $"the managed heap grew by {growth / 1024} KiB, over {Stalled} x (MaxBackpressure + a message + Kestrel's buffer) + 16 MiB = {bound / 1024} KiB");

            // Drop policy: no stalled session was closed for being slow.
            Assert.Equal(Stalled + 2, server.Sessions);

            // The reader gets a marker published after the flood (markers repeat: one may meet a full queue).
            for (var i = 0; !readerDone.IsCompleted; i++)
            {
                Assert.True(i < 100, "the reading client never got a marker");
                await publisher.SendTextAsync("marker-" + i);
                Assert.Empty(await publisher.ReceiveUntilTextAsync("marker-" + i));
                await Task.WhenAny(readerDone, Task.Delay(100));
            }

            await readerDone;
            output.WriteLine($"the reading client read {received} of {Messages} flood messages, then a marker");
            Assert.True(received > 0, "the reading client got none of the flood");
            await Task.WhenAll(publisher.CloseQuietlyAsync(), reader.CloseQuietlyAsync());
        }
        finally
        {
            foreach (var socket in stalled)
            {
                socket.Dispose();
            }
        }
    }

    /// <summary>Completes an RFC 6455 handshake on a raw socket with a 4 KiB receive buffer, reading nothing past the 101's head.</summary>
    private static async Task<Socket> HandshakeAsync(FaultServer server, string path)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, ReceiveBufferSize = 4096 };
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await socket.ConnectAsync(server.EndPoint, timeout.Token);
            var request = string.Join("\r\n", WsRawHttp.UpgradeRequest(server.EndPoint, path)) + "\r\n\r\n";
            await socket.SendAsync(Encoding.ASCII.GetBytes(request), SocketFlags.None, timeout.Token);
            var head = new StringBuilder();
            var one = new byte[1];
            while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
            {
                if (await socket.ReceiveAsync(one, SocketFlags.None, timeout.Token) == 0)
                {
                    throw new InvalidOperationException($"closed during the handshake: {head}");
                }

                head.Append((char)one[0]);
            }

            Assert.StartsWith("HTTP/1.1 101", head.ToString(), StringComparison.Ordinal);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
