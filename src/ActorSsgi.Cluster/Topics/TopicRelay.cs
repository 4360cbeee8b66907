using ActorSsgi.WebSockets;
using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;

namespace ActorSsgi.Cluster.Topics;

/// <summary>
/// This node's one subscriber to DistributedPubSub: subscribed to each topic that has local sessions, so a publish
/// crosses the wire once per node, not once per session. It owns the mediator subscriptions, so subscribe and
/// unsubscribe decisions are made one at a time here, against the broker's current map.
/// </summary>
internal sealed class TopicRelay : ReceiveActor
{
    private readonly HashSet<string> _subscribed = new(StringComparer.Ordinal);

    public TopicRelay(ClusterTopicBroker broker, IActorRef mediator)
    {
        Receive<ClusterTopicMessage>(message =>
        {
            broker.Metrics?.RemoteDelivered();
            broker.DeliverLocally(message.Topic, new TopicDelivery(message.Data, message.IsText));
        });
        Receive<Sync>(sync =>
        {
            var wanted = broker.HasLocalSubscribers(sync.Topic);
            if (wanted && _subscribed.Add(sync.Topic))
            {
                mediator.Tell(new Subscribe(sync.Topic, Self));
            }
            else if (!wanted && _subscribed.Remove(sync.Topic))
            {
                mediator.Tell(new Unsubscribe(sync.Topic, Self));
            }
        });
        Receive<SubscribeAck>(_ => { });
        Receive<UnsubscribeAck>(_ => { });
    }

    /// <summary>The local subscribers of a topic changed: subscribe or unsubscribe to match.</summary>
    public sealed record Sync(string Topic);
}
