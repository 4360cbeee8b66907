using ActorSsgi.WebSockets;
using Akka.Actor;

namespace ActorSsgi.Topics;

/// <summary>
/// <see cref="ISsgiTopicFeed"/> over the server's broker: each listener is a small actor subscribed like a session,
/// so the local broker and the cluster's DistributedPubSub deliver to it unchanged.
/// </summary>
internal sealed class TopicFeed(ActorSystem system, ITopicBroker broker) : ISsgiTopicFeed
{
    public IDisposable Listen(string topic, Action<SsgiMessage> deliver)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        ArgumentNullException.ThrowIfNull(deliver);
        var listener = system.ActorOf(Props.Create(() => new TopicListener(deliver)));
        // Subscribed here rather than in the actor's PreStart, so nothing published after Listen returns is missed.
        broker.Subscribe(topic, listener);
        return new Subscription(broker, topic, listener);
    }

    private sealed class Subscription(ITopicBroker broker, string topic, IActorRef listener) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                broker.Unsubscribe(topic, listener);
                listener.Tell(PoisonPill.Instance);
            }
        }
    }

    private sealed class TopicListener(Action<SsgiMessage> deliver) : UntypedActor
    {
        protected override void OnReceive(object message)
        {
            if (message is TopicDelivery delivery)
            {
                deliver(new SsgiMessage(delivery.Data, delivery.IsText));
            }
            else
            {
                Unhandled(message);
            }
        }
    }
}
