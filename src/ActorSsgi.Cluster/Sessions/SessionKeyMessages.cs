using ActorSsgi.WebSockets;
using Akka.Actor;

namespace ActorSsgi.Cluster.Sessions;

// Messages to this node's SessionKeysActor. They never leave the node (the replicated data does), so they carry
// TaskCompletionSources instead of going through Ask.

/// <summary>A local session binds a key; <see cref="Done"/> completes when a majority of nodes has it (or the write timed out).</summary>
internal sealed record BindKey(string Key, IActorRef Session, TaskCompletionSource Done);

/// <summary>A local session unbinds a key.</summary>
internal sealed record UnbindKey(string Key, IActorRef Session);

/// <summary>Send to the sessions bound to <see cref="Key"/> on any node.</summary>
internal sealed record SendToKey(string Key, TopicDelivery Delivery, TaskCompletionSource<SsgiKeyedSendResult> Result);

/// <summary>After the retention period: forget the keys of sessions that lived on a node that left.</summary>
internal sealed record PurgeNode(Akka.Actor.Address Node);

/// <summary>
/// From another node's directory: hand <see cref="Data"/> to this node's sessions bound to <see cref="Key"/> and
/// answer with <see cref="LocalDelivered"/>. The answer is what makes "delivered" mean a live node took the message.
/// </summary>
internal sealed record DeliverToLocalKey(string Key, byte[] Data, bool IsText);

/// <summary>How many of its sessions a node handed a keyed message to.</summary>
internal sealed record LocalDelivered(int Sessions);
