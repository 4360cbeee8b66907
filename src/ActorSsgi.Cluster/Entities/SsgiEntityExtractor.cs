using Akka.Cluster.Sharding;

namespace ActorSsgi.Cluster.Entities;

/// <summary>
/// Routes <see cref="ShardingEnvelope"/>s only: <see cref="HashCodeMessageExtractor"/> unwraps them itself (the
/// envelope's id picks the entity, its message is what the entity receives). The same envelope works with the
/// single-node <see cref="LocalEntityParent"/>, so handler code does not change between one node and a cluster.
/// </summary>
internal sealed class SsgiEntityExtractor : HashCodeMessageExtractor
{
    public SsgiEntityExtractor(int maxShards)
        : base(maxShards)
    {
    }

    /// <summary>Anything not in an envelope is not an entity message.</summary>
    public override string? EntityId(object message) => null;
}
