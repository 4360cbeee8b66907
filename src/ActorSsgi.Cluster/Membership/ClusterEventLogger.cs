using Akka.Actor;
using Akka.Cluster;
using Microsoft.Extensions.Logging;
using ClusterSystem = Akka.Cluster.Cluster;

namespace ActorSsgi.Cluster.Membership;

/// <summary>Logs membership and reachability changes, so an operator reading one node's log sees the cluster's story.</summary>
internal sealed class ClusterEventLogger : ReceiveActor
{
    private readonly ClusterSystem _cluster = ClusterSystem.Get(Context.System);

    public ClusterEventLogger(ILogger logger)
    {
        Receive<ClusterEvent.IMemberEvent>(e =>
            logger.LogInformation("Cluster member {Event}: {Address} is {Status} (roles: {Roles})",
                e.GetType().Name, e.Member.Address, e.Member.Status, string.Join(",", e.Member.Roles)));
        Receive<ClusterEvent.UnreachableMember>(e => logger.LogWarning("Cluster member unreachable: {Address}", e.Member.Address));
        Receive<ClusterEvent.ReachableMember>(e => logger.LogInformation("Cluster member reachable again: {Address}", e.Member.Address));
        Receive<ClusterEvent.LeaderChanged>(e => logger.LogInformation("Cluster leader is now {Leader}", e.Leader));
        Receive<ClusterEvent.IClusterDomainEvent>(_ => { });
    }

    public static Props Props(ILogger logger) => Akka.Actor.Props.Create(() => new ClusterEventLogger(logger));

    protected override void PreStart() =>
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
            typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.IReachabilityEvent), typeof(ClusterEvent.LeaderChanged));

    protected override void PostStop() => _cluster.Unsubscribe(Self);
}
