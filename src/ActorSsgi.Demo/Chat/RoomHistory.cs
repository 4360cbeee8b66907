using Akka.Actor;
using Akka.Cluster.Sharding;

namespace ActorSsgi.Demo.Chat;

/// <summary>What the chat handler uses to reach a room's <see cref="ChatRoomEntity"/>, on whatever node it lives.</summary>
public sealed class RoomHistory
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(5);
    private readonly IActorRef _rooms;

    /// <summary>Wraps the rooms' region (or the single node's parent).</summary>
    /// <param name="rooms">The <see cref="ChatRooms"/> actor from the registry.</param>
    public RoomHistory(IActorRef rooms) => _rooms = rooms;

    /// <summary>Remembers a message sent to <paramref name="room"/>.</summary>
    /// <param name="room">The room.</param>
    /// <param name="message">The message; copied.</param>
    public void Append(string room, SsgiMessage message) =>
        _rooms.Tell(new ShardingEnvelope(room, new ChatRoomEntity.Append(new ChatRoomEntity.ChatLine(message.Data.ToArray(), message.IsText))));

    /// <summary>
    /// The room's history and owner, or <c>null</c> when the room's entity did not answer in time (its node just died
    /// and its shard is moving): a join then goes on without history rather than failing.
    /// </summary>
    /// <param name="room">The room.</param>
    /// <returns>The history, or <c>null</c>.</returns>
    public async Task<ChatRoomEntity.History?> TryGet(string room)
    {
        try
        {
            return await _rooms.Ask<ChatRoomEntity.History>(new ShardingEnvelope(room, new ChatRoomEntity.GetHistory()), AskTimeout);
        }
        catch (AskTimeoutException)
        {
            return null;
        }
    }
}
