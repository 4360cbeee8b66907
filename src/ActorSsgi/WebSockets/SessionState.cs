namespace ActorSsgi.WebSockets;

/// <summary>The states of one WebSocket session, owned by its actor.</summary>
internal enum SessionState
{
    /// <summary>The upgrade request arrived; the handler has neither accepted nor rejected it.</summary>
    Pending,

    /// <summary>The upgrade was refused with a plain HTTP response.</summary>
    Rejected,

    /// <summary>The session is open.</summary>
    Accepted,

    /// <summary>A close frame was sent; waiting for the client's answer (or the close timeout).</summary>
    Closing,

    /// <summary>The session is over; on_close has run.</summary>
    Closed,
}

internal static class SessionStateExtensions
{
    /// <summary>The seed's numbers: closing already counts as closed, since nothing more can be sent.</summary>
    public static SsgiWebSocketStatus ToSsgi(this SessionState state) => state switch
    {
        SessionState.Pending => SsgiWebSocketStatus.Pending,
        SessionState.Rejected => SsgiWebSocketStatus.Rejected,
        SessionState.Accepted => SsgiWebSocketStatus.Accepted,
        _ => SsgiWebSocketStatus.Closed,
    };
}
