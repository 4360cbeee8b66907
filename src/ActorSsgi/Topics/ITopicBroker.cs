using Akka.Actor;

namespace ActorSsgi.Topics;

/// <summary>
/// Where topic subscriptions live. Local by default; the cluster package swaps in one backed by Akka's
/// DistributedPubSub so the same topics span nodes.
/// </summary>
internal interface ITopicBroker
{
    void Subscribe(string topic, IActorRef session);

    void Unsubscribe(string topic, IActorRef session);

    /// <summary>Delivers <paramref name="delivery"/> to every session subscribed to <paramref name="topic"/>.</summary>
    void Publish(string topic, WebSockets.TopicDelivery delivery);
}
