using System.Diagnostics.Metrics;
using Akka.Actor;
using Akka.Cluster;
using ClusterSystem = Akka.Cluster.Cluster;

namespace ActorSsgi.Cluster.Telemetry;

/// <summary>
/// The name of the cluster's <see cref="Meter"/>: membership as this node sees it and topic traffic through the
/// cluster (instruments listed in docs/operating.md).
/// </summary>
public static class ActorSsgiClusterMeter
{
    /// <summary><c>ActorSsgi.Cluster</c>.</summary>
    public const string Name = "ActorSsgi.Cluster";
}

/// <summary>The <c>ActorSsgi.Cluster</c> instruments of one node; made when clustering is on.</summary>
internal sealed class ActorSsgiClusterMetrics
{
    private readonly Counter<long> _remoteDeliveries;

    public ActorSsgiClusterMetrics(IMeterFactory meterFactory, ActorSystem system)
    {
        var meter = meterFactory.Create(ActorSsgiClusterMeter.Name);
        var cluster = ClusterSystem.Get(system);
        // Read from the cluster's current state at each collection: nothing is counted on membership events.
        meter.CreateObservableUpDownCounter(
            "actorssgi.cluster.members.up",
            () => (long)cluster.State.Members.Count(m => m.Status == MemberStatus.Up),
            "{member}",
            "Cluster members with status up, as this node sees them.");
        meter.CreateObservableUpDownCounter(
            "actorssgi.cluster.members.unreachable",
            () => (long)cluster.State.Unreachable.Count,
            "{member}",
            "Cluster members this node's failure detector marks unreachable.");
        _remoteDeliveries = meter.CreateCounter<long>(
            "actorssgi.cluster.deliveries.remote",
            "{message}",
            "Topic messages this node's relay received from the cluster's pub-sub, each then delivered to the node's subscribed sessions.");
    }

    /// <summary>The relay received a topic message from DistributedPubSub.</summary>
    public void RemoteDelivered() => _remoteDeliveries.Add(1);
}
