namespace ActorSsgi;

/// <summary>
/// Topic messages delivered to code rather than to a client: where <see cref="ISsgiTopics.Subscribe"/> makes the
/// server write a topic's messages to the session's socket, <see cref="Listen"/> hands them to a callback (a stream
/// source, a log, a bridge to another system). Listening spans nodes wherever the topics do (ActorSsgi.Cluster).
/// </summary>
public interface ISsgiTopicFeed
{
    /// <summary>
    /// Calls <paramref name="deliver"/> with every message published to <paramref name="topic"/> from now on, one at a
    /// time and in the order they reached this node, until the returned handle is disposed.
    /// </summary>
    /// <param name="topic">The topic name.</param>
    /// <param name="deliver">
    /// The callback; it runs on a server thread and must not block. The message's bytes are the server's own and stay
    /// valid after the call.
    /// </param>
    /// <returns>The subscription; dispose it to stop listening.</returns>
    IDisposable Listen(string topic, Action<SsgiMessage> deliver);
}
