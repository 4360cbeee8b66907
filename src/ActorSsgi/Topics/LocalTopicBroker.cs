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

    // Subscribing and unsubscribing take a lock, so that removing an emptied topic can never orphan a session that
    // is joining it at that moment; publishing, the frequent operation, reads without one.
    private readonly Lock _changes = new();

    public void Subscribe(string topic, IActorRef session)
    {
        lock (_changes)
        {
            _topics.GetOrAdd(topic, static _ => new ConcurrentDictionary<IActorRef, byte>()).TryAdd(session, 0);
        }
    }

    public void Unsubscribe(string topic, IActorRef session)
    {
        lock (_changes)
        {
            if (_topics.TryGetValue(topic, out var subscribers) && subscribers.TryRemove(session, out _) && subscribers.IsEmpty)
            {
                _topics.TryRemove(topic, out _);
            }
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
