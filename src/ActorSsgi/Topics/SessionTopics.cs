using System.Text;
using ActorSsgi.WebSockets;
using Akka.Actor;

namespace ActorSsgi.Topics;

/// <summary>
/// One session's view of the topics (<see cref="ISsgiTopics"/>): remembers what it joined so that a closed session
/// leaves all its topics. Used from the session's actor (the facade marshals other callers there).
/// </summary>
internal sealed class SessionTopics : ISsgiTopics
{
    private readonly ITopicBroker _broker;
    private readonly IActorRef _session;
    private readonly HashSet<string> _joined = new(StringComparer.Ordinal);
    private bool _closed;

    public SessionTopics(ITopicBroker broker, IActorRef session)
    {
        _broker = broker;
        _session = session;
    }

    public void Subscribe(string topic)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        if (!_closed && _joined.Add(topic))
        {
            _broker.Subscribe(topic, _session);
        }
    }

    public void Unsubscribe(string topic)
    {
        if (_joined.Remove(topic))
        {
            _broker.Unsubscribe(topic, _session);
        }
    }

    public bool IsSubscribed(string topic) => _joined.Contains(topic);

    public void Publish(string topic, SsgiMessage message)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        _broker.Publish(topic, new TopicDelivery(message.Data.ToArray(), message.IsText));
    }

    public void LeaveAll()
    {
        _closed = true;
        foreach (var topic in _joined)
        {
            _broker.Unsubscribe(topic, _session);
        }

        _joined.Clear();
    }
}
