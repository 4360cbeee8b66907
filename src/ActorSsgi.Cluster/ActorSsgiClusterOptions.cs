namespace ActorSsgi.Cluster;

/// <summary>
/// Cluster settings, bound from the <c>ActorSsgi:Cluster</c> configuration section, so that
/// <c>--ActorSsgi:Cluster:Port=4054</c> on the command line and <c>ActorSsgi__Cluster__Port=4054</c> in the environment
/// both work. With <see cref="Enabled"/> false (the default) nothing changes: the server is a single node.
/// </summary>
public sealed class ActorSsgiClusterOptions
{
    /// <summary>The configuration section name: <c>ActorSsgi:Cluster</c>.</summary>
    public const string SectionName = "ActorSsgi:Cluster";

    /// <summary>The actor system's name; every node of one cluster must use the same: <c>actorssgi</c>.</summary>
    public const string SystemName = "actorssgi";

    /// <summary>Whether this node joins a cluster. Default <c>false</c>: single node, no remoting.</summary>
    public bool Enabled { get; set; }

    /// <summary>The address Akka.Remote binds to and other nodes use to reach this one. Default <c>127.0.0.1</c>.</summary>
    public string Hostname { get; set; } = "127.0.0.1";

    /// <summary>The Akka.Remote port. Default 4053.</summary>
    public int Port { get; set; } = 4053;

    /// <summary>The address other nodes should use when it differs from <see cref="Hostname"/> (NAT, containers).</summary>
    public string? PublicHostname { get; set; }

    /// <summary>
    /// Nodes to join through: <c>akka.tcp://actorssgi@host:port</c>, or the shorthand <c>host:port</c>. Empty: this node
    /// joins itself and starts a new cluster (fine for the first node, never for a node meant to join others).
    /// </summary>
    public string[] SeedNodes { get; set; } = [];

    /// <summary>This node's roles (shown by <c>/cluster/members</c>; usable to place shards).</summary>
    public string[] Roles { get; set; } = [];

    /// <summary>
    /// The split-brain resolver: <c>keep-majority</c> (the default) downs the minority side of a partition and a
    /// crashed node once the cluster has been stable for <see cref="StableAfter"/>; <c>off</c> leaves downing to an
    /// operator (a crashed node then stays unreachable until someone downs it).
    /// </summary>
    public string SplitBrainResolver { get; set; } = "keep-majority";

    /// <summary>How long membership must be stable before the split-brain resolver acts. Default 20 s (Akka's).</summary>
    public TimeSpan StableAfter { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How long the session directory waits for a majority of nodes when binding or looking up a key. Default 3 s.</summary>
    public TimeSpan DirectoryTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// How long keys of sessions whose node left stay known, so that sends to them are reported as undeliverable
    /// rather than "no session". Default 5 minutes.
    /// </summary>
    public TimeSpan DeadSessionRetention { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The seed nodes as full Akka addresses (expands the <c>host:port</c> shorthand).</summary>
    /// <returns>One address per seed node.</returns>
    public string[] SeedAddresses() =>
        SeedNodes.Where(s => !string.IsNullOrWhiteSpace(s))
            .Select(s => s.Contains("://", StringComparison.Ordinal) ? s.Trim() : $"akka.tcp://{SystemName}@{s.Trim()}")
            .ToArray();
}
