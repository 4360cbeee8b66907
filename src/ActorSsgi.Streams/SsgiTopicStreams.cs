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
}
