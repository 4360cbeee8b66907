using ActorSsgi.Cluster.Membership;
using ActorSsgi.Cluster.Sessions;
using ActorSsgi.Cluster.Topics;
using ActorSsgi.Hosting;
using ActorSsgi.Server;
using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ActorSsgi.Cluster.Hosting;

/// <summary>
/// Plugs the cluster into the server before it starts: topics over DistributedPubSub, session keys over
/// DistributedData, and a log of membership changes. Does nothing when clustering is off.
/// </summary>
internal sealed class ClusterServerExtension : ISsgiServerExtension
{
    private readonly ActorSsgiClusterOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly System.Diagnostics.Metrics.IMeterFactory _meterFactory;

    public ClusterServerExtension(IOptions<ActorSsgiClusterOptions> options, ILoggerFactory loggerFactory, System.Diagnostics.Metrics.IMeterFactory meterFactory)
    {
        _options = options.Value;
        _loggerFactory = loggerFactory;
        _meterFactory = meterFactory;
    }

    public void Configure(SsgiServer server, ActorSystem system)
    {
        if (!_options.Enabled || !SsgiClusterMembers.IsClustered(system))
        {
            return;
        }

        var logger = _loggerFactory.CreateLogger("ActorSsgi.Cluster");
        system.ActorOf(ClusterEventLogger.Props(logger), "ssgi-cluster-events");

        var topics = new ClusterTopicBroker(DistributedPubSub.Get(system).Mediator, new Telemetry.ActorSsgiClusterMetrics(_meterFactory, system));
        topics.Start(system);
        server.Topics = topics;

        var keys = system.ActorOf(SessionKeysActor.Props(_options.DirectoryTimeout, _options.DeadSessionRetention, logger), SessionKeysActor.Name);
        server.Sessions = new ClusterSessionDirectory(keys);
    }
}
