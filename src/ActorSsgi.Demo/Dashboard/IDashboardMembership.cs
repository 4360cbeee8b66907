using ActorSsgi.Cluster.Membership;
using Akka.Actor;

namespace ActorSsgi.Demo.Dashboard;

/// <summary>
/// Where the dashboard reads the cluster's members from: Akka.Cluster's state by default (one local member when the
/// demo runs on one node). A host may register its own in the container, as the tests do to take a member down.
/// </summary>
public interface IDashboardMembership
{
    /// <summary>This node's address.</summary>
    string Self { get; }

    /// <summary>Whether the node runs in a cluster.</summary>
    bool Clustered { get; }

    /// <summary>The members as this node sees them now.</summary>
    /// <returns>The members, this node included.</returns>
    IReadOnlyList<SsgiClusterMember> Members();
}

/// <summary>Membership from the actor system (<see cref="SsgiClusterMembers"/>).</summary>
internal sealed class ActorSystemMembership(ActorSystem system) : IDashboardMembership
{
    public string Self { get; } = SsgiClusterMembers.SelfAddress(system);

    public bool Clustered { get; } = SsgiClusterMembers.IsClustered(system);

    public IReadOnlyList<SsgiClusterMember> Members() => SsgiClusterMembers.Of(system);
}
