namespace ActorSsgi;

/// <summary>
/// The seed's <c>type</c> input: what the server is asking the application to handle.
/// On the wire (docs, logs, JSON) the values are spelled <c>"http"</c> and <c>"websocket"</c>.
/// </summary>
public enum SsgiType
{
    /// <summary>An HTTP request (<c>"http"</c>).</summary>
    Http = 0,

    /// <summary>A WebSocket upgrade request (<c>"websocket"</c>).</summary>
    WebSocket = 1,
}

/// <summary>Helpers for <see cref="SsgiType"/>.</summary>
public static class SsgiTypeExtensions
{
    /// <summary>The seed's wire spelling of <paramref name="type"/>: <c>"http"</c> or <c>"websocket"</c>.</summary>
    /// <param name="type">The request type.</param>
    /// <returns>A cached string; no allocation.</returns>
    public static string ToWireString(this SsgiType type) => type == SsgiType.Http ? "http" : "websocket";
}
