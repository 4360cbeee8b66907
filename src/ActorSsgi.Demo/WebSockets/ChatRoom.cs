using System.Text;

namespace ActorSsgi.Demo.WebSockets;

/// <summary>
/// <c>/ws/chat?room=R</c>: every message a session sends is published to topic R, so it reaches every session in
/// room R, the sender included. The room is nothing but a topic name.
/// </summary>
internal static class ChatRoom
{
    private const int MaxRoomName = 64;

    public static async ValueTask Join(string? room, ISsgiWebSocket ws)
    {
        if (string.IsNullOrWhiteSpace(room) || room.Length > MaxRoomName)
        {
            await ws.Reject(400, Encoding.UTF8.GetBytes($"room must be 1-{MaxRoomName} characters"));
            return;
        }

        var topics = ws.Topics() ?? throw new InvalidOperationException("This server offers no topics.");
        var topic = "chat:" + room;
        topics.Subscribe(topic);
        ws.OnReceive(static (socket, message, topic) => socket.Topics()!.Publish(topic, message), topic);
        await ws.Accept();
    }
}
