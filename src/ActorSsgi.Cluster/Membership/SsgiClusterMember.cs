namespace ActorSsgi.Cluster.Membership;

/// <summary>One member of the cluster as operators see it (<c>GET /cluster/members</c> in the demo).</summary>
/// <param name="Address">The node's Akka address, such as <c>akka.tcp://actorssgi@127.0.0.1:4053</c>.</param>
/// <param name="Status">Lower case: <c>joining</c>, <c>up</c>, <c>leaving</c>, <c>exiting</c>, <c>down</c>, <c>removed</c>, <c>weaklyup</c>.</param>
/// <param name="Roles">The node's roles.</param>
/// <param name="Reachable">Whether this node's failure detector currently reaches it.</param>
public sealed record SsgiClusterMember(string Address, string Status, IReadOnlyList<string> Roles, bool Reachable);
