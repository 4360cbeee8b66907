using Akka;
using Akka.Streams;
using Akka.Streams.Dsl;

namespace ActorSsgi.Streams;

/// <summary>SSGI topics as Akka.Streams stages.</summary>
public static class SsgiTopicStreams
{
    /// <summary>
    /// A sink that publishes every element to <paramref name="topic"/> with <see cref="ISsgiTopics.Publish"/>
    /// (from any thread, not marshalled; the bytes are copied by Publish).
    /// </summary>
    /// <param name="topics">The session's topics (<c>ws.Topics()</c>).</param>
    /// <param name="topic">The topic name.</param>
    /// <returns>A sink whose task completes when the stream does.</returns>
    public static Sink<SsgiMessage, Task> PublishSink(this ISsgiTopics topics, string topic)
    {
        ArgumentNullException.ThrowIfNull(topics);
        ArgumentException.ThrowIfNullOrEmpty(topic);
        return Sink.ForEach<SsgiMessage>(message => topics.Publish(topic, message)).MapMaterializedValue(static done => (Task)done);
    }

    /// <summary>
    /// A source of every message published to <paramref name="topic"/> from the moment it is materialized, until it
    /// is cancelled (its listener is then removed). A topic is pushed by its publishers and cannot be slowed, so the
    /// source holds up to <paramref name="bufferSize"/> messages its downstream has not pulled yet and then applies
    /// <paramref name="overflow"/>: drop the oldest (the default), the newest, or fail the stream.
    /// </summary>
    /// <param name="feed">The server's feed (<c>ws.TopicFeed()</c>).</param>
    /// <param name="topic">The topic name.</param>
    /// <param name="bufferSize">Messages held for a slow downstream; at least 1.</param>
    /// <param name="overflow">
    /// <see cref="OverflowStrategy.DropHead"/>, <see cref="OverflowStrategy.DropTail"/>,
    /// <see cref="OverflowStrategy.DropNew"/> or <see cref="OverflowStrategy.Fail"/>; backpressure is refused because a
    /// publisher cannot be made to wait.
    /// </param>
    /// <returns>The source.</returns>
    /// <exception cref="ArgumentException"><paramref name="overflow"/> is <see cref="OverflowStrategy.Backpressure"/>.</exception>
    public static Source<SsgiMessage, NotUsed> TopicSource(
        this ISsgiTopicFeed feed,
        string topic,
        int bufferSize = 256,
        OverflowStrategy overflow = OverflowStrategy.DropHead)
    {
        ArgumentNullException.ThrowIfNull(feed);
        ArgumentException.ThrowIfNullOrEmpty(topic);
        ArgumentOutOfRangeException.ThrowIfLessThan(bufferSize, 1);
        if (overflow == OverflowStrategy.Backpressure)
        {
            throw new ArgumentException(
                "A topic source cannot backpressure its publishers; choose DropHead, DropTail, DropNew or Fail.", nameof(overflow));
        }

        // Source.Queue is a stage inside the fused graph, so its buffer is the only one: Source.ActorRef would add the
        // input buffer of the boundary behind it (16 more messages held, whatever bufferSize says).
        return Source.Queue<SsgiMessage>(bufferSize, overflow)
            .MapMaterializedValue(queue => feed.Listen(topic, message => _ = queue.OfferAsync(message)))
            .WatchTermination(static (listening, done) =>
            {
                // Cancelled, failed or completed: the listener goes, so a finished stream leaves no subscription behind.
                done.ContinueWith(static (_, state) => ((IDisposable)state!).Dispose(), listening, TaskScheduler.Default);
                return NotUsed.Instance;
            });
    }
}
