using System.Globalization;
using ActorSsgi.Cluster.Serialization;
using Akka.Configuration;

namespace ActorSsgi.Cluster.Hosting;

/// <summary>The actor-system settings a clustered ActorSsgi node adds to Akka.Cluster.Hosting's.</summary>
internal static class ClusterHocon
{
    /// <summary>Settings derived from options: they win over akka.hocon.</summary>
    public static Config FromOptions(ActorSsgiClusterOptions options) => ConfigurationFactory.ParseString($$"""
        akka.cluster.split-brain-resolver.stable-after = {{Seconds(options.StableAfter)}}
        """);

    /// <summary>Defaults akka.hocon may override.</summary>
    public static Config Defaults { get; } = ConfigurationFactory.ParseString($$"""
        akka.actor {
          serializers.actorssgi = "{{typeof(SsgiClusterSerializer).AssemblyQualifiedName}}"
          serialization-bindings {
            "ActorSsgi.Cluster.Topics.ClusterTopicMessage, ActorSsgi.Cluster" = actorssgi
            "ActorSsgi.WebSockets.TopicDelivery, ActorSsgi" = actorssgi
            "ActorSsgi.Cluster.Sessions.DeliverToLocalKey, ActorSsgi.Cluster" = actorssgi
            "ActorSsgi.Cluster.Sessions.LocalDelivered, ActorSsgi.Cluster" = actorssgi
          }
          serialization-identifiers {
            "{{typeof(SsgiClusterSerializer).AssemblyQualifiedName}}" = {{SsgiClusterSerializer.Id}}
          }
        }
        # A WebSocket message may be up to ActorSsgi:WebSockets:MaxMessageSize (1 MiB by default) and must fit a frame.
        akka.remote.dot-netty.tcp.maximum-frame-size = 4MiB
        akka.remote.dot-netty.tcp.send-buffer-size = 4MiB
        akka.remote.dot-netty.tcp.receive-buffer-size = 4MiB
        # Subscriptions spread by gossip; a new room member on another node hears a room within about this interval.
        akka.cluster.pub-sub.gossip-interval = 250ms
        # Entities keep their state in memory: move them only when their node leaves, never to even out load.
        akka.cluster.sharding.least-shard-allocation-strategy.rebalance-threshold = 1000000
        akka.cluster.sharding.least-shard-allocation-strategy.rebalance-absolute-limit = 0
        """);

    private static string Seconds(TimeSpan span) => span.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) + "ms";
}
