namespace ActorSsgi;

/// <summary>
/// The seed's <c>SSGIWebSocket</c>: one WebSocket session, owned by one session actor. Callbacks run in that actor,
/// one at a time and in order.
/// </summary>
public interface ISsgiWebSocket : ISsgiConnection
{
    /// <summary>The seed's <c>status</c>: pending (0), rejected (1), closed (2) or accepted (3).</summary>
    SsgiWebSocketStatus Status { get; }

    /// <summary>
    /// The seed's <c>accept(protocol)</c>: completes the upgrade. With no <paramref name="protocol"/>, the first
    /// subprotocol the client offered in <c>sec-websocket-protocol</c> is chosen, if any.
    /// </summary>
    /// <param name="protocol">The subprotocol to confirm, or <c>null</c>.</param>
    /// <returns>Completes when the handshake response is on the wire.</returns>
    /// <exception cref="InvalidOperationException">The upgrade was already accepted or rejected.</exception>
    ValueTask Accept(string? protocol = null);

    /// <summary>The seed's <c>reject(status_code, payload, headers)</c>: answers with a plain HTTP response instead.</summary>
    /// <param name="statusCode">The HTTP status, 403 by default.</param>
    /// <param name="payload">An optional body.</param>
    /// <param name="headers">Optional response headers.</param>
    /// <returns>Completes when the rejection is written (Kestrel sends it when the upgrade request completes).</returns>
    /// <exception cref="InvalidOperationException">The upgrade was already accepted or rejected.</exception>
    ValueTask Reject(int statusCode = 403, ReadOnlyMemory<byte> payload = default, IEnumerable<KeyValuePair<string, string>>? headers = null);

    /// <summary>The seed's <c>send(bytes)</c>: a binary message. The task may be awaited or ignored.</summary>
    /// <param name="payload">The bytes; copied before the call returns.</param>
    /// <returns>What became of the message.</returns>
    ValueTask<SsgiSendStatus> Send(ReadOnlyMemory<byte> payload);

    /// <summary>The seed's <c>send(str)</c>: a text message (UTF-8). The task may be awaited or ignored.</summary>
    /// <param name="payload">The text.</param>
    /// <returns>What became of the message.</returns>
    ValueTask<SsgiSendStatus> Send(string payload);

    /// <summary>The seed's <c>close(code)</c>: starts the closing handshake; <c>on_close</c> follows.</summary>
    /// <param name="code">The close code, 1000 by default.</param>
    /// <param name="reason">An optional reason (at most 123 UTF-8 bytes).</param>
    /// <returns>
    /// Completes at once: the close frame is queued behind messages already sent, and on_close follows when the
    /// client answers (or after 5 s). Closing a closing or closed session does nothing.
    /// </returns>
    ValueTask Close(int code = 1000, string? reason = null);

    /// <summary>The seed's <c>run_async</c>: runs <paramref name="handler"/> in the session's actor after the current call.</summary>
    /// <param name="handler">The work to run; an exception closes the session with 1011.</param>
    void RunAsync(Func<ISsgiWebSocket, ValueTask> handler);

    /// <summary>The seed's <c>run_async(handler, *arguments)</c> with typed state.</summary>
    /// <typeparam name="TState">The state's type.</typeparam>
    /// <param name="handler">The work to run.</param>
    /// <param name="state">Passed to <paramref name="handler"/>.</param>
    void RunAsync<TState>(Func<ISsgiWebSocket, TState, ValueTask> handler, TState state);

    /// <summary>The seed's <c>on_receive</c>: called with each message, in order, one at a time.</summary>
    /// <param name="handler">The callback; an exception closes the session with 1011.</param>
    void OnReceive(Action<ISsgiWebSocket, SsgiMessage> handler);

    /// <summary>The seed's <c>on_receive(handler, *arguments)</c> with typed state.</summary>
    /// <typeparam name="TState">The state's type.</typeparam>
    /// <param name="handler">The callback.</param>
    /// <param name="state">Passed to <paramref name="handler"/>.</param>
    void OnReceive<TState>(Action<ISsgiWebSocket, SsgiMessage, TState> handler, TState state);

    /// <summary>The seed's awaitable <c>on_receive</c>: the next message waits until the task completes.</summary>
    /// <param name="handler">The callback.</param>
    void OnReceive(Func<ISsgiWebSocket, SsgiMessage, ValueTask> handler);

    /// <summary>The seed's <c>on_close</c>: called once when the session ends, with the close code and reason.</summary>
    /// <param name="handler">The callback.</param>
    void OnClose(Action<ISsgiWebSocket, int, string?> handler);

    /// <summary>The seed's <c>on_close(handler, *arguments)</c> with typed state.</summary>
    /// <typeparam name="TState">The state's type.</typeparam>
    /// <param name="handler">The callback.</param>
    /// <param name="state">Passed to <paramref name="handler"/>.</param>
    void OnClose<TState>(Action<ISsgiWebSocket, int, string?, TState> handler, TState state);

    /// <summary>
    /// The seed's awaitable <c>on_close</c>. It runs to its end, its awaits resuming one at a time like every other
    /// handler of the session, even though the session has already ended (sends return Dropped).
    /// </summary>
    /// <param name="handler">The callback.</param>
    void OnClose(Func<ISsgiWebSocket, int, string?, ValueTask> handler);
}
