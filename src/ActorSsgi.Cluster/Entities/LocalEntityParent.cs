using Akka.Actor;
using Akka.Cluster.Sharding;

namespace ActorSsgi.Cluster.Entities;

/// <summary>
/// Single node's stand-in for a shard region: one child per entity id, created on the first message for it, and
/// reached with the same <see cref="ShardingEnvelope"/>. The entity sees the original sender, as with sharding.
/// </summary>
internal sealed class LocalEntityParent : ReceiveActor
{
    public LocalEntityParent(Func<string, Props> entityProps)
    {
        Receive<ShardingEnvelope>(envelope =>
        {
            // Child names are URL-encoded, so any entity id is a valid actor name.
            var name = Uri.EscapeDataString(envelope.EntityId);
            var child = Context.Child(name);
            if (child.IsNobody())
            {
                child = Context.ActorOf(entityProps(envelope.EntityId), name);
            }

            child.Forward(envelope.Message);
        });
    }
}
