namespace ActorSsgi;

/// <summary>
/// Publish/subscribe for WebSocket sessions (uWebSockets' and Phoenix's topics). A session finds its own in
/// <see cref="ISsgiConnection.Extensions"/> under <see cref="SsgiExtensionKeys.Topics"/> (or through
/// <see cref="SsgiWebSocketExtensions.Topics"/>). A closed session leaves all its topics.
/// </summary>
public interface ISsgiTopics
{
    /// <summary>Subscribes the session to <paramref name="topic"/>; subscribing twice is the same as once.</summary>
    /// <param name="topic">The topic name.</param>
    void Subscribe(string topic);

    /// <summary>Unsubscribes the session from <paramref name="topic"/>.</summary>
    /// <param name="topic">The topic name.</param>
    void Unsubscribe(string topic);

    /// <summary>Whether the session is subscribed to <paramref name="topic"/>.</summary>
    /// <param name="topic">The topic name.</param>
    /// <returns><c>true</c> when subscribed.</returns>
    bool IsSubscribed(string topic);

    /// <summary>Sends <paramref name="message"/> to every session subscribed to <paramref name="topic"/>, this one included if subscribed.</summary>
    /// <param name="topic">The topic name.</param>
    /// <param name="message">The message; copied before the call returns.</param>
    void Publish(string topic, SsgiMessage message);
}
