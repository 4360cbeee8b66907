using ActorSsgi.Topics;
using ActorSsgi.WebSockets;
using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;

namespace ActorSsgi.Cluster.Topics;

/// <summary>
/// Topics across nodes over Akka's DistributedPubSub. Sessions subscribe locally (a <see cref="LocalTopicBroker"/>);
/// one <see cref="TopicRelay"/> per node subscribes to the mediator once per topic that has local sessions. A publish
/// goes to the mediator, which sends it once to each node with subscribers; that node's relay tells each local session
/// the same immutable <see cref="TopicDelivery"/>.
/// </summary>
internal sealed class ClusterTopicBroker : ITopicBroker
{
    // This node's sessions, by topic: a publish reaching the node walks a snapshot array, as on a single node.
    private readonly LocalTopicBroker _local = new();
    private readonly IActorRef _mediator;
    private IActorRef _relay = ActorRefs.Nobody;

    public ClusterTopicBroker(IActorRef mediator, Telemetry.ActorSsgiClusterMetrics? metrics = null)
    {
        _mediator = mediator;
        Metrics = metrics;
    }

    /// <summary>Where the relay counts what it receives; <c>null</c> when not measured.</summary>
    public Telemetry.ActorSsgiClusterMetrics? Metrics { get; }

    /// <summary>Starts the node's relay; called once before the server accepts sessions.</summary>
    public void Start(ActorSystem system) =>
        _relay = system.ActorOf(Props.Create(() => new TopicRelay(this, _mediator)), "ssgi-topic-relay");

    public void Subscribe(string topic, IActorRef session)
    {
        if (_local.Add(topic, session))
        {
            // The relay re-reads the map, so a sync per change is correct whatever the interleaving; joins are rare next to messages.
            _relay.Tell(new TopicRelay.Sync(topic));
        }
    }

    public void Unsubscribe(string topic, IActorRef session)
    {
        if (_local.Remove(topic, session))
        {
            _relay.Tell(new TopicRelay.Sync(topic));
        }
    }

    public void Publish(string topic, TopicDelivery delivery) =>
        _mediator.Tell(new Publish(topic, new ClusterTopicMessage(topic, delivery.Data, delivery.IsText)));

    /// <summary>Whether any session on this node is subscribed to <paramref name="topic"/>.</summary>
    public bool HasLocalSubscribers(string topic) => _local.SubscriberCount(topic) > 0;

    /// <summary>Tells every local subscriber of <paramref name="topic"/> the one shared delivery.</summary>
    public void DeliverLocally(string topic, TopicDelivery delivery) => _local.Publish(topic, delivery);
}
