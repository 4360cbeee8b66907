namespace ActorSsgi.WebSockets;

/// <summary>
/// A handler failure the session has already answered (1011 sent or under way, on_close started in its actor), on its
/// way to the supervisor so that the decision is made and logged there. The handler's exception is the inner one.
/// </summary>
internal sealed class SessionCrashedException(Exception error, string? route = null)
    : Exception("An SSGI WebSocket handler failed; the session closed with 1011.", error)
{
    /// <summary>The session's request path, the route its crash is counted under (see <see cref="Dispatch.CrashLog"/>).</summary>
    public string? Route { get; } = route;
}
