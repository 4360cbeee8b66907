using System.Text;
using ActorSsgi.Demo.Chat;

namespace ActorSsgi.Demo.WebSockets;

/// <summary>
/// <c>/ws/chat?room=R</c>: every message a session sends is published to topic R, so it reaches every session in
/// room R, the sender included. The room is a topic name; when the host runs the room entities (the demo's
/// Program.cs does), each message is also kept in the room's history and a newly joined session gets the last 50
/// first. A message racing with a join may reach the joining session twice (once live, once in the history).
/// </summary>
internal static class ChatRoom
{
    private const int MaxRoomName = 64;

    public static async ValueTask Join(string? room, ISsgiWebSocket ws, RoomHistory? history, RoomSessions? sessions = null)
    {
        if (string.IsNullOrWhiteSpace(room) || room.Length > MaxRoomName)
        {
            await ws.Reject(400, Encoding.UTF8.GetBytes($"room must be 1-{MaxRoomName} characters"));
            return;
        }

        var topics = ws.Topics() ?? throw new InvalidOperationException("This server offers no topics.");
        var topic = "chat:" + room;
        topics.Subscribe(topic);
        var state = new RoomState(topic, room, history, sessions);
        ws.OnReceive(static (socket, message, state) =>
        {
            socket.Topics()!.Publish(state.Topic, message);
            state.History?.Append(state.Room, message);
        }, state);
        ws.OnClose(static (_, _, _, state) => state.Leave(), state);
        await ws.Accept();

        // Counted only once open: on_close runs only for a session that opened, and may already have run by now.
        if (ws.Status == SsgiWebSocketStatus.Accepted)
        {
            state.Enter();
        }

        // Subscribed before the history is read, so nothing sent meanwhile is missed (at worst seen twice).
        if (history is not null && await history.TryGet(room) is { } found)
        {
            foreach (var line in found.Lines)
            {
                _ = line.IsText ? ws.Send(Encoding.UTF8.GetString(line.Data)) : ws.Send(line.Data);
            }
        }
    }

    // Used from the session's actor only, so _counted needs no synchronization.
    private sealed record RoomState(string Topic, string Room, RoomHistory? History, RoomSessions? Sessions)
    {
        private bool _counted;

        public void Enter()
        {
            if (Sessions is not null)
            {
                _counted = true;
                Sessions.Joined(Room);
            }
        }

        public void Leave()
        {
            if (_counted)
            {
                _counted = false;
                Sessions!.Left(Room);
            }
        }
    }
}
