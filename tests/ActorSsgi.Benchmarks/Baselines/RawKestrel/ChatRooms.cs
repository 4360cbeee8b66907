using System.Buffers;
using System.Collections.Concurrent;
using System.Net.WebSockets;

namespace RawKestrel;

/// <summary>
/// The fan-out baseline: a dictionary of rooms, each a list of sockets, and a plain sequential loop of
/// SendAsync over the list for every incoming message (sender included). This is the straightforward
/// code one writes without an actor runtime: the naive fan-out row. The yardstick issue 17 judges ActorSsgi's
/// /ws/chat against is <see cref="ConcurrentChatRooms"/> (/ws/chat-concurrent), which never awaits a send per member.
/// </summary>
internal sealed class ChatRooms
{
    private readonly ConcurrentDictionary<string, Room> _rooms = new(StringComparer.Ordinal);

    public async Task RunSessionAsync(string roomName, WebSocket socket, CancellationToken shutdown)
    {
        var room = _rooms.GetOrAdd(roomName, static _ => new Room());
        await room.JoinAsync(socket);
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
                    await room.BroadcastAsync(message.WrittenMemory, received.MessageType, shutdown);
                    message.ResetWrittenCount();
                }
            }
        }
        finally
        {
            await room.LeaveAsync(socket);
        }
    }

    private sealed class Room
    {
        // One gate per room serializes broadcasts, joins and leaves: a WebSocket allows only one pending send,
        // and the close frame sent on leave is a send too.
        private readonly SemaphoreSlim _gate = new(1, 1);
        private readonly List<WebSocket> _members = [];

        public async Task JoinAsync(WebSocket socket)
        {
            await _gate.WaitAsync();
            try
            {
                _members.Add(socket);
            }
            finally
            {
                _gate.Release();
            }
        }

        public async Task LeaveAsync(WebSocket socket)
        {
            await _gate.WaitAsync();
            try
            {
                _members.Remove(socket);
                if (socket.State == WebSocketState.CloseReceived)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                }
            }
            catch (WebSocketException)
            {
            }
            finally
            {
                _gate.Release();
            }
        }

        public async Task BroadcastAsync(ReadOnlyMemory<byte> payload, WebSocketMessageType type, CancellationToken ct)
        {
            await _gate.WaitAsync(ct);
            try
            {
                foreach (var member in _members)
                {
                    try
                    {
                        await member.SendAsync(payload, type, endOfMessage: true, ct);
                    }
                    catch (WebSocketException)
                    {
                        // A member that vanished mid-broadcast is removed by its own session's finally block.
                    }
                }
            }
            finally
            {
                _gate.Release();
            }
        }
    }
}
