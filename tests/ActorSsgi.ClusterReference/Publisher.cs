using System.Buffers.Binary;
using System.Diagnostics;
using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;

namespace ActorSsgi.ClusterReference;

/// <summary>
/// Node 1's side: publishes 32-byte messages stamped with <see cref="Stopwatch.GetTimestamp"/> to the topic at a
/// fixed rate, paced by <see cref="ClockPace"/> as ActorSsgi.ClusterTests' LatencyProbe paces its WebSocket sender,
/// straight into the mediator (no WebSocket, no session actor: the part of the path Akka itself owns).
/// </summary>
internal static class Publisher
{
    /// <summary>The topic both sides use.</summary>
    public const string Topic = "latency";

    /// <summary>The subscriber's answer to a warm-up message.</summary>
    public const string Ready = "ready";

    /// <summary>The most messages one run may send (10,000 msg/s for 10 s).</summary>
    public const int MaxMessages = 100_000;

    /// <summary>Publishes warm-up messages until the subscriber on another node answers one.</summary>
    public static async Task WaitForSubscriberAsync(ActorSystem system, IActorRef mediator, TimeSpan timeout)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        var warmUp = new byte[32];
        BinaryPrimitives.WriteInt32LittleEndian(warmUp, -1);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            try
            {
                // Ask: the mediator forwards the publish with its sender, the temporary ask actor the answer goes to.
                await mediator.Ask<string>(new Publish(Topic, warmUp), TimeSpan.FromMilliseconds(250));
                return;
            }
            catch (AskTimeoutException)
            {
                // Not subscribed yet, or the subscription has not reached this node by gossip.
            }
        }

        throw new TimeoutException("No subscriber answered the warm-up publishes.");
    }

    /// <summary>Publishes <paramref name="rate"/> messages a second for <paramref name="duration"/>; returns the achieved rate.</summary>
    public static async Task<double> RunAsync(IActorRef mediator, int rate, TimeSpan duration)
    {
        var total = Math.Min(MaxMessages, (int)(rate * duration.TotalSeconds));
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < total; i++)
        {
            await ClockPace.UntilDue(start, i, rate);

            // A new array per message: the mediator holds it until remoting has serialized it.
            var message = new byte[32];
            BinaryPrimitives.WriteInt32LittleEndian(message, i);
            BinaryPrimitives.WriteInt64LittleEndian(message.AsSpan(4), Stopwatch.GetTimestamp());
            mediator.Tell(new Publish(Topic, message));
        }

        return total / Stopwatch.GetElapsedTime(start).TotalSeconds;
    }
}
