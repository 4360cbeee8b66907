using System.Diagnostics;

namespace ActorSsgi.Telemetry;

/// <summary>
/// The server's <see cref="ActivitySource"/>: one <see cref="ActivityKind.Server"/> span per HTTP request and per
/// WebSocket session, named and tagged after the OpenTelemetry HTTP semantic conventions. Listen with
/// <c>AddSource(ActorSsgiActivities.SourceName)</c> (OpenTelemetry) or an <see cref="ActivityListener"/>.
/// </summary>
public static class ActorSsgiActivities
{
    /// <summary>The source's name: <c>ActorSsgi</c>.</summary>
    public const string SourceName = "ActorSsgi";

    /// <summary>Tag on a WebSocket session's span (true), which tells it from a plain request's.</summary>
    public const string WebSocketTag = "actorssgi.websocket";

    /// <summary>Tag on a WebSocket session's span: the close code the session ended with.</summary>
    public const string CloseCodeTag = "actorssgi.websocket.close_code";

    /// <summary>Tag on a WebSocket session's span: messages received from the client.</summary>
    public const string MessagesReceivedTag = "actorssgi.websocket.messages_received";

    /// <summary>Tag on a WebSocket session's span: messages sent (or queued) to the client.</summary>
    public const string MessagesSentTag = "actorssgi.websocket.messages_sent";

    /// <summary>The source every span of the server comes from.</summary>
    internal static readonly ActivitySource Source = new(SourceName, typeof(ActorSsgiActivities).Assembly.GetName().Version?.ToString());
}
