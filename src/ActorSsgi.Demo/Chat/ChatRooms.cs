namespace ActorSsgi.Demo.Chat;

/// <summary>
/// The registry key of the chat rooms' entities (<see cref="ChatRoomEntity"/>): a shard region when clustered, a local
/// parent on one node; handlers reach a room the same way in both.
/// </summary>
public sealed class ChatRooms
{
    /// <summary>The entity type name, the same on every node.</summary>
    public const string TypeName = "chat-rooms";

    private ChatRooms()
    {
    }
}
