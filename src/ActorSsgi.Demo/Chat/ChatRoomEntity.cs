using ActorSsgi.Cluster.Membership;
using Akka.Actor;

namespace ActorSsgi.Demo.Chat;

/// <summary>
/// One chat room's history: the last <see cref="Capacity"/> messages, kept in memory by the one actor that owns the
/// room. Clustered, it lives on one node (the shard's) and sessions on every node reach it; the history survives the
/// loss of any other node, not of its own (it is not persisted).
/// </summary>
public sealed class ChatRoomEntity : ReceiveActor
{
    /// <summary>How many messages a newly joined session is sent.</summary>
    public const int Capacity = 50;

    /// <summary>Larger messages are relayed to the room but not kept, so a join never replays megabytes.</summary>
    public const int MaxKeptMessageBytes = 16 * 1024;

    private readonly Queue<ChatLine> _lines = new(Capacity);

    /// <summary>Creates the entity for one room.</summary>
    public ChatRoomEntity()
    {
        var owner = SsgiClusterMembers.SelfAddress(Context.System);
        Receive<Append>(append =>
        {
            if (append.Line.Data.Length > MaxKeptMessageBytes)
            {
                return;
            }

            if (_lines.Count == Capacity)
            {
                _lines.Dequeue();
            }

            _lines.Enqueue(append.Line);
        });
        Receive<GetHistory>(_ => Sender.Tell(new History(owner, _lines.ToArray())));
    }

    /// <summary>Props for the entity of room <paramref name="room"/>.</summary>
    /// <param name="room">The room name (the entity id).</param>
    /// <returns>The props.</returns>
    public static Props Props(string room) => Akka.Actor.Props.Create(() => new ChatRoomEntity());

    /// <summary>One message as the room keeps it.</summary>
    /// <param name="Data">The payload (UTF-8 for text).</param>
    /// <param name="IsText">Text or binary.</param>
    public sealed record ChatLine(byte[] Data, bool IsText);

    /// <summary>Remember a message sent to the room.</summary>
    /// <param name="Line">The message.</param>
    public sealed record Append(ChatLine Line);

    /// <summary>Ask for the room's history; answered with <see cref="History"/>.</summary>
    public sealed record GetHistory;

    /// <summary>The room's history, oldest first, and the node that owns the room.</summary>
    /// <param name="Owner">The owning node's address.</param>
    /// <param name="Lines">The messages.</param>
    public sealed record History(string Owner, IReadOnlyList<ChatLine> Lines);
}
