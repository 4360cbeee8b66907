namespace ActorSsgi;

/// <summary>The keys ActorSsgi puts in <see cref="ISsgiConnection.Extensions"/>.</summary>
public static class SsgiExtensionKeys
{
    /// <summary>HTTP: the protocol as Kestrel reports it: <c>"HTTP/1.0"</c>, <c>"HTTP/1.1"</c> or <c>"HTTP/2"</c>.</summary>
    public const string HttpProtocol = "http.protocol";

    /// <summary>HTTP: the scheme, <c>"http"</c> or <c>"https"</c>.</summary>
    public const string Scheme = "http.scheme";

    /// <summary>WebSocket: the session's <see cref="ISsgiTopics"/>.</summary>
    public const string Topics = "ssgi.topics";

    /// <summary>WebSocket: the server's <see cref="ISsgiTopicFeed"/> (topic messages delivered to code, not to a client).</summary>
    public const string TopicFeed = "ssgi.topics.feed";

    /// <summary>WebSocket: the session's <see cref="ISsgiSessions"/> (keys other sessions, on any node, send to).</summary>
    public const string Sessions = "ssgi.sessions";

    /// <summary>HTTP: the response's <see cref="ISsgiFileResponse"/> (zero-copy file bodies, ranges, conditional requests).</summary>
    public const string FileResponse = "http.response.file";
}

/// <summary>Typed access to WebSocket extensions.</summary>
public static class SsgiWebSocketExtensions
{
    /// <summary>The session's topics, or <c>null</c> when the server offers none.</summary>
    /// <param name="socket">The session.</param>
    /// <returns>The topics service bound to this session.</returns>
    public static ISsgiTopics? Topics(this ISsgiWebSocket socket) =>
        socket.Extensions is { } extensions && extensions.TryGetValue(SsgiExtensionKeys.Topics, out var topics)
            ? topics as ISsgiTopics
            : null;

    /// <summary>The server's topic feed, or <c>null</c> when the server offers none.</summary>
    /// <param name="socket">The session.</param>
    /// <returns>The feed; listening is not tied to this session's life.</returns>
    public static ISsgiTopicFeed? TopicFeed(this ISsgiWebSocket socket) =>
        socket.Extensions is { } extensions && extensions.TryGetValue(SsgiExtensionKeys.TopicFeed, out var feed)
            ? feed as ISsgiTopicFeed
            : null;

    /// <summary>The session's keyed addressing, or <c>null</c> when the server offers none.</summary>
    /// <param name="socket">The session.</param>
    /// <returns>The sessions service bound to this session.</returns>
    public static ISsgiSessions? Sessions(this ISsgiWebSocket socket) =>
        socket.Extensions is { } extensions && extensions.TryGetValue(SsgiExtensionKeys.Sessions, out var sessions)
            ? sessions as ISsgiSessions
            : null;
}
