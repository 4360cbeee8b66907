namespace ActorSsgi;

/// <summary>The seed's <c>SSGIWebSocket.status</c>, with the seed's numbers.</summary>
public enum SsgiWebSocketStatus
{
    /// <summary>0: the upgrade is pending: neither accepted nor rejected yet.</summary>
    Pending = 0,

    /// <summary>1: the upgrade was rejected with a plain HTTP response.</summary>
    Rejected = 1,

    /// <summary>2: the session was accepted and is now closed (by either side, or by the server).</summary>
    Closed = 2,

    /// <summary>3: the upgrade was accepted and the session is open.</summary>
    Accepted = 3,
}
