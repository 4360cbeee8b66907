using Akka.Actor;
using Akka.Cluster;
using ClusterSystem = Akka.Cluster.Cluster;

namespace ActorSsgi.Cluster.Membership;

/// <summary>Membership as this node sees it, for health and operator endpoints.</summary>
public static class SsgiClusterMembers
{
    /// <summary>Whether <paramref name="system"/> runs with the cluster provider.</summary>
    /// <param name="system">The actor system.</param>
    /// <returns><c>true</c> when clustered.</returns>
    public static bool IsClustered(ActorSystem system) => system is ExtendedActorSystem extended && extended.Provider is IClusterActorRefProvider;

    /// <summary>
    /// The members this node knows, sorted by address: the cluster's when clustered, otherwise the one local node
    /// (status <c>up</c>, its address as Akka names it, such as <c>akka://actorssgi</c>).
    /// </summary>
    /// <param name="system">The actor system.</param>
    /// <returns>The members.</returns>
    public static IReadOnlyList<SsgiClusterMember> Of(ActorSystem system)
    {
        if (!IsClustered(system))
        {
            return [new SsgiClusterMember(SelfAddress(system), "up", [], true)];
        }

        var state = ClusterSystem.Get(system).State;
        var unreachable = state.Unreachable.Select(m => m.Address).ToHashSet();
        return state.Members
            .Select(m => new SsgiClusterMember(m.Address.ToString(), m.Status.ToString().ToLowerInvariant(), m.Roles.OrderBy(r => r, StringComparer.Ordinal).ToArray(), !unreachable.Contains(m.Address)))
            .ToArray();
    }

    /// <summary>This node's address: the cluster address when clustered, the local one otherwise.</summary>
    /// <param name="system">The actor system.</param>
    /// <returns>The address as a string.</returns>
    public static string SelfAddress(ActorSystem system) =>
        IsClustered(system) ? ClusterSystem.Get(system).SelfAddress.ToString() : ((ExtendedActorSystem)system).Provider.DefaultAddress.ToString();
}
