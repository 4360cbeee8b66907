using ActorSsgi.Server;

namespace ActorSsgi.WebSockets;

// Messages a session actor takes in besides RunInActor (await continuations and calls from other threads).

/// <summary>Kestrel handed over an upgrade request; <see cref="Completion"/> is what Kestrel awaits.</summary>
/// <param name="Context">The upgrade request.</param>
/// <param name="Completion">Completed when the session is over.</param>
/// <param name="Handshake">The gateway's validation of the upgrade request, reused by accept.</param>
internal sealed record StartSession(SsgiRequestContext Context, TaskCompletionSource Completion, HandshakeResult Handshake);

/// <summary>A message published to a topic this session subscribed to; the bytes are shared, never mutated.</summary>
internal sealed record TopicDelivery(byte[] Data, bool IsText);

/// <summary>The server is shutting down: close with 1001.</summary>
internal sealed record ShutdownSession
{
    public static readonly ShutdownSession Instance = new();
}

/// <summary>The client did not answer our close frame in time.</summary>
internal sealed record CloseTimedOut(int Attempt);

/// <summary>A handler (entry, RunAsync, on_receive) finished asynchronously.</summary>
internal sealed record SessionHandlerCompleted(bool IsEntry, Exception? Error);

/// <summary>on_receive threw: rethrown in the actor for the supervisor.</summary>
internal sealed record SessionHandlerFailed(Exception Error);
