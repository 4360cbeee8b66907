using System.Buffers;
using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Threading.Channels;

namespace RawKestrel;

/// <summary>
/// The concurrent fan-out baseline (<c>/ws/chat-concurrent</c>), the yardstick issue 17 asks for: what a careful
/// hand-written Kestrel chat does without an actor runtime. Every member owns a bounded outbound queue
/// (System.Threading.Channels) drained by one writer loop per socket, so a broadcast only enqueues (copy the
/// message once, TryWrite it to every member) and never awaits a send; slow members do not hold up fast ones.
/// <see cref="ChatRooms"/> (<c>/ws/chat</c>) stays as the naive sequential baseline.
/// </summary>
/// <remarks>
/// Memory bound and policy mirror ActorSsgi's session send queue with its defaults
/// (WebSockets:MaxBackpressure = 1 MiB, CloseOnBackpressureLimit = false, i.e. the new message is dropped):
/// each queue holds at most <see cref="QueueCapacity"/> messages and a message arriving at a full queue is dropped
/// (<see cref="BoundedChannelFullMode.DropWrite"/>). ActorSsgi counts bytes, a channel counts items; 1,024 messages
/// are 1 MiB of 1 KiB messages. The benchmark's 20 short messages never reach either limit.
/// </remarks>
internal sealed class ConcurrentChatRooms
{
    /// <summary>Most messages queued for one member; the next one is dropped.</summary>
    public const int QueueCapacity = 1024;

    // How long a leaving session waits for its writer loop to flush what is queued before aborting the socket.
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);

    private static readonly BoundedChannelOptions QueueOptions = new(QueueCapacity)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true, // the member's writer loop
        SingleWriter = false, // any session's receive loop may broadcast
    };

    private readonly ConcurrentDictionary<string, Room> _rooms = new(StringComparer.Ordinal);

    public async Task RunSessionAsync(string roomName, WebSocket socket, CancellationToken shutdown)
    {
        var room = _rooms.GetOrAdd(roomName, static _ => new Room());
        var queue = Channel.CreateBounded<Outbound>(QueueOptions);
        var writer = WriteLoopAsync(socket, queue, shutdown);
        room.Join(queue.Writer);
        var message = new ArrayBufferWriter<byte>(256);
        try
        {
            while (true)
            {
                // Whole messages are broadcast, so fragments are collected first.
                var received = await socket.ReceiveAsync(message.GetMemory(4096), shutdown);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
                message.Advance(received.Count);
                if (received.EndOfMessage)
                {
                    // One copy shared by every member's queue: the receive buffer is reused for the next message.
                    room.Broadcast(new Outbound(message.WrittenSpan.ToArray(), received.MessageType));
                    message.ResetWrittenCount();
                }
            }
        }
        finally
        {
            room.Leave(queue.Writer);
            queue.Writer.TryComplete();
            // The writer loop is the only sender; the close frame goes out after it has finished.
            if (await Task.WhenAny(writer, Task.Delay(DrainTimeout, CancellationToken.None)) != writer)
            {
                socket.Abort();
            }
            else if (socket.State == WebSocketState.CloseReceived)
            {
                try
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                }
                catch (WebSocketException)
                {
                }
            }
        }
    }

    // One send in flight per socket (a WebSocket allows no more): dequeue, await the send, repeat.
    private static async Task WriteLoopAsync(WebSocket socket, Channel<Outbound> queue, CancellationToken shutdown)
    {
        var reader = queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync(shutdown))
            {
                while (reader.TryRead(out var next))
                {
                    await socket.SendAsync(next.Data, next.Type, endOfMessage: true, shutdown);
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The peer is gone or the server stops: refuse further messages so broadcasts stop queueing them here.
            queue.Writer.TryComplete();
        }
    }

    private readonly record struct Outbound(byte[] Data, WebSocketMessageType Type);

    private sealed class Room
    {
        private readonly Lock _gate = new();
        private readonly HashSet<ChannelWriter<Outbound>> _members = [];
        // What broadcasts iterate: rebuilt under the gate by the first broadcast after a join or leave, so 10,000
        // joins cost 10,000 set insertions (not 10,000 array copies) and a broadcast iterates without the lock.
        private ChannelWriter<Outbound>[]? _snapshot = [];

        public void Join(ChannelWriter<Outbound> member)
        {
            lock (_gate)
            {
                _members.Add(member);
                _snapshot = null;
            }
        }

        public void Leave(ChannelWriter<Outbound> member)
        {
            lock (_gate)
            {
                _members.Remove(member);
                _snapshot = null;
            }
        }

        public void Broadcast(Outbound message)
        {
            var members = Volatile.Read(ref _snapshot);
            if (members is null)
            {
                lock (_gate)
                {
                    members = _snapshot ??= [.. _members];
                }
            }
            foreach (var member in members)
            {
                // Never waits: DropWrite discards the message for a full queue; a completed queue refuses it.
                member.TryWrite(message);
            }
        }
    }
}
