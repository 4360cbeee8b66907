using System.Collections.Concurrent;
using ActorSsgi.WebSockets;
using Akka.Actor;

namespace ActorSsgi.Topics;

/// <summary>
/// Topics on one node. A publish sends one shared, immutable message object to each subscriber's actor, which
/// writes it to its own socket: no copy and no allocation per subscriber. The cluster broker keeps each node's own
/// subscribers in one of these too.
/// </summary>
internal sealed class LocalTopicBroker : ITopicBroker
{
    private readonly ConcurrentDictionary<string, Subscribers> _topics = new(StringComparer.Ordinal);

    // Subscribing and unsubscribing take a lock, so that removing an emptied topic can never orphan a session that
    // is joining it at that moment; publishing, the frequent operation, reads a snapshot without one.
    private readonly Lock _changes = new();

    public void Subscribe(string topic, IActorRef session) => Add(topic, session);

    public void Unsubscribe(string topic, IActorRef session) => Remove(topic, session);

    /// <summary>Subscribes <paramref name="session"/>; false when it already was (the cluster broker syncs on a change only).</summary>
    public bool Add(string topic, IActorRef session)
    {
        lock (_changes)
        {
            var subscribers = _topics.GetOrAdd(topic, static _ => new Subscribers());
            if (!subscribers.Members.Add(session))
            {
                return false;
            }

            subscribers.Snapshot = null;
            return true;
        }
    }

    /// <summary>Unsubscribes <paramref name="session"/>; false when it was not subscribed.</summary>
    public bool Remove(string topic, IActorRef session)
    {
        lock (_changes)
        {
            if (!_topics.TryGetValue(topic, out var subscribers) || !subscribers.Members.Remove(session))
            {
                return false;
            }

            subscribers.Snapshot = null;
            if (subscribers.Members.Count == 0)
            {
                _topics.TryRemove(topic, out _);
            }

            return true;
        }
    }

    public void Publish(string topic, TopicDelivery delivery)
    {
        if (_topics.TryGetValue(topic, out var subscribers))
        {
            foreach (var session in subscribers.Snapshot ?? Snapshot(subscribers))
            {
                session.Tell(delivery, ActorRefs.NoSender);
            }
        }
    }

    /// <summary>How many sessions are subscribed to <paramref name="topic"/> (for tests and metrics).</summary>
    public int SubscriberCount(string topic) => _topics.TryGetValue(topic, out var subscribers) ? (subscribers.Snapshot ?? Snapshot(subscribers)).Length : 0;

    /// <summary>
    /// The subscribers as an array, made again after a change. A publish walks it without locks or copies (a
    /// ConcurrentDictionary's key collection takes every lock and copies every key on each call: a fifth of the CPU of a
    /// 10,000-subscriber fan-out); a burst of joins costs one copy at the next publish, not one per join.
    /// </summary>
    private IActorRef[] Snapshot(Subscribers subscribers)
    {
        lock (_changes)
        {
            return subscribers.Snapshot ??= [.. subscribers.Members];
        }
    }

    /// <summary>One topic's sessions: the set changed under the lock, and its published snapshot.</summary>
    private sealed class Subscribers
    {
        public HashSet<IActorRef> Members { get; } = [];

        public volatile IActorRef[]? Snapshot;
    }
}
