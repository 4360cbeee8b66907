namespace ActorSsgi;

/// <summary>
/// Addressable sessions: a session binds itself to keys (a user id, a device id), and any session on any node sends a
/// message to the session(s) bound to a key. A session finds its own in <see cref="ISsgiConnection.Extensions"/> under
/// <see cref="SsgiExtensionKeys.Sessions"/> (or through <see cref="SsgiWebSocketExtensions.Sessions"/>). A closed
/// session loses all its keys.
/// </summary>
/// <remarks>
/// Single node: keys live in the server's memory. Clustered (ActorSsgi.Cluster): keys are replicated to the other
/// nodes, so a key whose session died with its node is still known and a send to it is reported as
/// <see cref="SsgiKeyedSendStatus.Undeliverable"/>, never silently dropped.
/// </remarks>
public interface ISsgiSessions
{
    /// <summary>Binds this session to <paramref name="key"/>; several sessions may share a key (a user's tabs).</summary>
    /// <param name="key">The key.</param>
    /// <returns>Completes when other sessions (on any node) can reach this one by <paramref name="key"/>.</returns>
    ValueTask Bind(string key);

    /// <summary>Unbinds this session from <paramref name="key"/>.</summary>
    /// <param name="key">The key.</param>
    void Unbind(string key);

    /// <summary>Sends <paramref name="message"/> to every session bound to <paramref name="key"/>, this one included if bound.</summary>
    /// <param name="key">The key.</param>
    /// <param name="message">The message; copied before the call returns.</param>
    /// <returns>Whether the message was handed to sessions, and to how many.</returns>
    ValueTask<SsgiKeyedSendResult> SendTo(string key, SsgiMessage message);
}

/// <summary>What became of <see cref="ISsgiSessions.SendTo"/>.</summary>
public enum SsgiKeyedSendStatus
{
    /// <summary>Handed to at least one live session bound to the key (each then sends it as its own <c>send</c> would).</summary>
    Delivered = 0,

    /// <summary>No session is bound to the key.</summary>
    NoSession = 1,

    /// <summary>
    /// Sessions are bound to the key but none can be reached: their node is unreachable or has left the cluster, or
    /// the directory did not answer in time.
    /// </summary>
    Undeliverable = 2,
}

/// <summary>The outcome of <see cref="ISsgiSessions.SendTo"/>.</summary>
/// <param name="Status">Delivered, no session, or undeliverable.</param>
/// <param name="Sessions">How many sessions the message was handed to.</param>
/// <param name="Unreachable">How many bound sessions could not be reached (their node is unreachable or gone).</param>
/// <param name="Reason">Why the message was not delivered, for logs and clients; <c>null</c> when it was.</param>
public readonly record struct SsgiKeyedSendResult(SsgiKeyedSendStatus Status, int Sessions, int Unreachable = 0, string? Reason = null);
