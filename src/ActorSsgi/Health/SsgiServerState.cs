namespace ActorSsgi.Health;

/// <summary>
/// What the health checks read about the running server: whether it listens and whether a drain has started.
/// One per host (a singleton), written by the server as it starts and as its drain begins.
/// </summary>
public sealed class SsgiServerState
{
    private volatile bool _listening;
    private volatile bool _draining;

    /// <summary>Whether the server has bound its addresses and serves.</summary>
    public bool Listening => _listening;

    /// <summary>Whether a drain (CoordinatedShutdown's service-unbind phase, or the server's stop) has started.</summary>
    public bool Draining => _draining;

    internal void SetListening(bool listening) => _listening = listening;

    internal void SetDraining() => _draining = true;
}
