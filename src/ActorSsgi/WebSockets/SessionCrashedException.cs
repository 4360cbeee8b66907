namespace ActorSsgi.WebSockets;

/// <summary>
/// A handler failure the session has already answered (1011 sent or under way, on_close started in its actor), on its
/// way to the supervisor so that the decision is made and logged there. The handler's exception is the inner one.
/// </summary>
internal sealed class SessionCrashedException(Exception error)
    : Exception("An SSGI WebSocket handler failed; the session closed with 1011.", error);
