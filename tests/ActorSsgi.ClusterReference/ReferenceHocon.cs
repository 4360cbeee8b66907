using Akka.Configuration;

namespace ActorSsgi.ClusterReference;

/// <summary>
/// The actor-system settings of a reference node: what a clustered demo node runs with (akka.hocon, the remoting,
/// serialization and pub-sub lines of src/ActorSsgi.Cluster/Hosting/ClusterHocon.cs, and the cluster section
/// Akka.Cluster.Hosting writes for TestCluster's options), minus ActorSsgi itself. Copied, not shared, because
/// ClusterHocon is internal; keep the two in step when either changes.
/// </summary>
internal static class ReferenceHocon
{
    /// <summary>The actor system's name; the same as the demo's so addresses look alike in logs.</summary>
    public const string SystemName = "actorssgi";

    /// <summary>The settings for node <paramref name="port"/> seeded by <paramref name="seedPort"/>.</summary>
    public static Config For(int port, int seedPort) => ConfigurationFactory.ParseString($$"""
        akka {
          loglevel = INFO
          stdout-loglevel = WARNING
          actor {
            provider = cluster
            debug.unhandled = off
          }
          remote.dot-netty.tcp {
            hostname = 127.0.0.1
            port = {{port}}
            maximum-frame-size = 4MiB
            send-buffer-size = 4MiB
            receive-buffer-size = 4MiB
          }
          cluster {
            seed-nodes = ["akka.tcp://{{SystemName}}@127.0.0.1:{{seedPort}}"]
            roles = [web]
            downing-provider-class = "Akka.Cluster.SBR.SplitBrainResolverProvider, Akka.Cluster"
            split-brain-resolver {
              active-strategy = keep-majority
              stable-after = 3s
            }
            pub-sub.gossip-interval = 250ms
          }
        }
        """);
}
