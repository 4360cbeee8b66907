using System.Collections.Concurrent;
using ActorSsgi.WebSockets;
using Akka.Actor;

namespace ActorSsgi.Topics;

/// <summary>
/// Topics on one node. A publish sends one shared, immutable message object to each subscriber's actor, which
/// writes it to its own socket: no copy and no allocation per subscriber.
/// </summary>
internal sealed class LocalTopicBroker : ITopicBroker
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<IActorRef, byte>> _topics = new(StringComparer.Ordinal);

    public void Subscribe(string topic, IActorRef session) =>
        _topics.GetOrAdd(topic, static _ => new ConcurrentDictionary<IActorRef, byte>()).TryAdd(session, 0);

    public void Unsubscribe(string topic, IActorRef session)
    {
        if (_topics.TryGetValue(topic, out var subscribers) && subscribers.TryRemove(session, out _) && subscribers.IsEmpty)
        {
            // Racy by design: a subscribe that lands between the check and the removal re-creates the topic.
            _topics.TryRemove(KeyValuePair.Create(topic, subscribers));
        }
    }

    public void Publish(string topic, TopicDelivery delivery)
    {
        if (_topics.TryGetValue(topic, out var subscribers))
        {
            foreach (var session in subscribers.Keys)
            {
                session.Tell(delivery, ActorRefs.NoSender);
            }
        }
    }

    /// <summary>How many sessions are subscribed to <paramref name="topic"/> (for tests and metrics).</summary>
    public int SubscriberCount(string topic) => _topics.TryGetValue(topic, out var subscribers) ? subscribers.Count : 0;
}
