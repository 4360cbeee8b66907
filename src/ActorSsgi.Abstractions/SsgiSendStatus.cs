namespace ActorSsgi;

/// <summary>What became of a WebSocket <c>send</c> (uWebSockets' SUCCESS / BACKPRESSURE / DROPPED).</summary>
public enum SsgiSendStatus
{
    /// <summary>The message was written to the connection.</summary>
    Sent = 0,

    /// <summary>The message was queued behind data the client has not read yet; it will be sent.</summary>
    Backpressure = 1,

    /// <summary>The message was not sent: the session is not open, or the client fell too far behind.</summary>
    Dropped = 2,
}
