namespace ActorSsgi;

/// <summary>
/// The seed's <c>SSGIHttpResponse</c>: one HTTP response, owned by one request actor.
/// </summary>
/// <remarks>
/// Calls made from the handler (and from its awaits, which resume in the request's actor) run at once. Calls from
/// any other thread are handed to the request's actor and run there in order. After the response was aborted (the
/// client went away; the server dropped the connection, say after a handler crash once the body had started; or the
/// server answered for the handler: 413, 400 or 408 while reading the body) no member throws because of it: sends are dropped,
/// reads return <c>null</c>, <see cref="Aborted"/> is <c>true</c>. Invalid arguments still throw.
/// </remarks>
public interface ISsgiHttpResponse : ISsgiConnection
{
    /// <summary>
    /// The seed's <c>aborted</c>: <c>true</c> once the response was aborted before it ended: the client went away, the
    /// server dropped the connection, or the server answered on the handler's behalf (413, 400 or 408 while the body
    /// was read).
    /// </summary>
    bool Aborted { get; }

    /// <summary>
    /// The seed's <c>send(bytes, has_more)</c>. Writes <paramref name="payload"/>; with <paramref name="hasMore"/>
    /// <c>false</c> (the default) the response ends, with <c>Content-Length</c> set when nothing was sent before.
    /// </summary>
    /// <param name="payload">The bytes; copied before the call returns.</param>
    /// <param name="hasMore"><c>true</c> to keep the response open for more data.</param>
    /// <exception cref="InvalidOperationException">The response has already ended.</exception>
    void Send(ReadOnlyMemory<byte> payload, bool hasMore = false);

    /// <summary>The seed's <c>send(str, has_more)</c>: <paramref name="payload"/> as UTF-8; <c>null</c> is <c>send(None)</c>.</summary>
    /// <param name="payload">The text, or <c>null</c> to write nothing.</param>
    /// <param name="hasMore"><c>true</c> to keep the response open for more data.</param>
    /// <exception cref="InvalidOperationException">The response has already ended.</exception>
    void Send(string? payload, bool hasMore = false);

    /// <summary>The seed's <c>send(None)</c>: ends the response; with nothing sent before, it has no body.</summary>
    /// <exception cref="InvalidOperationException">The response has already ended.</exception>
    void Send();

    /// <summary>
    /// The seed's <c>send_chunk(chunk, total_size)</c>: writes one chunk with backpressure. The task completes when
    /// the server can take more (the client drained what was buffered past the limit), so awaiting each call
    /// keeps memory bounded. With <paramref name="totalSize"/> the response carries that <c>Content-Length</c> and
    /// ends when that many bytes were sent; without it the body is chunked and <see cref="Send()"/> ends it.
    /// </summary>
    /// <param name="chunk">The bytes; copied before the call returns.</param>
    /// <param name="totalSize">The sum of the lengths of all chunks, or <c>null</c> when unknown.</param>
    /// <returns><see cref="SsgiChunkResult"/>: whether the chunk went out and whether the response is over.</returns>
    /// <exception cref="InvalidOperationException">
    /// The response already ended, or the chunks would exceed <paramref name="totalSize"/>.
    /// </exception>
    ValueTask<SsgiChunkResult> SendChunk(ReadOnlyMemory<byte> chunk, long? totalSize = null);

    /// <summary>The seed's <c>send_chunk</c> with a text chunk, written as UTF-8.</summary>
    /// <param name="chunk">The text.</param>
    /// <param name="totalSize">The total body size in bytes, or <c>null</c> when unknown.</param>
    /// <returns>See <see cref="SendChunk(ReadOnlyMemory{byte}, long?)"/>.</returns>
    ValueTask<SsgiChunkResult> SendChunk(string chunk, long? totalSize = null);

    /// <summary>The seed's <c>send_status</c>: sets the status code; the last call before the body wins.</summary>
    /// <param name="statusCode">100-599 (RFC 9110 §15: the classes 1xx to 5xx); 200 by default.</param>
    /// <exception cref="InvalidOperationException">The body has started, so the status is already on the wire.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="statusCode"/> is not 100-599.</exception>
    void SendStatus(int statusCode = 200);

    /// <summary>The seed's <c>send_headers</c>: adds headers; a repeated name adds another value (<c>set-cookie</c>).</summary>
    /// <param name="headers">Name and value pairs.</param>
    /// <exception cref="InvalidOperationException">The body has started, so the headers are already on the wire.</exception>
    void SendHeaders(IEnumerable<KeyValuePair<string, string>> headers);

    /// <summary>The seed's <c>send_headers</c> for a few headers given inline, without allocating a collection.</summary>
    /// <param name="headers">Name and value pairs.</param>
    /// <exception cref="InvalidOperationException">The body has started, so the headers are already on the wire.</exception>
    void SendHeaders(params ReadOnlySpan<(string Name, string Value)> headers);

    /// <summary>
    /// The seed's <c>run_async</c>: runs <paramref name="handler"/> in the request's actor after the current call,
    /// and keeps the response open until it ends. The request headers expire at this call. An exception from the
    /// handler is handled as one from the entry (500 before the status was sent, abort after).
    /// </summary>
    /// <param name="handler">The work to run.</param>
    void RunAsync(Func<ISsgiHttpResponse, ValueTask> handler);

    /// <summary>The seed's <c>run_async(handler, *arguments)</c> with typed state instead of a closure.</summary>
    /// <typeparam name="TState">The state's type.</typeparam>
    /// <param name="handler">The work to run.</param>
    /// <param name="state">Passed to <paramref name="handler"/>.</param>
    void RunAsync<TState>(Func<ISsgiHttpResponse, TState, ValueTask> handler, TState state);

    /// <summary>
    /// The seed's <c>get_data</c>: the whole request body, or <c>null</c> when the request has none. A body over the
    /// server's limit returns <c>null</c>: the server answers 413 and the response reads as aborted.
    /// </summary>
    /// <returns>A buffer the caller owns.</returns>
    ValueTask<ReadOnlyMemory<byte>?> GetData();

    /// <summary>
    /// The seed's <c>get_chunk</c>: the next piece of the request body as it arrives (the server picks the size),
    /// or <c>null</c> at the end. The memory is valid until the next <see cref="GetChunk"/> or <see cref="GetData"/>
    /// call or the end of the response: copy it to keep it.
    /// </summary>
    /// <returns>The next chunk, or <c>null</c> when the body is complete (or the request was aborted).</returns>
    ValueTask<ReadOnlyMemory<byte>?> GetChunk();

    /// <summary>
    /// The seed's <c>on_aborted</c>: <paramref name="handler"/> runs exactly once if the response is aborted before it
    /// ended (see <see cref="Aborted"/> for when), and never after a completed response. A later registration replaces an earlier one.
    /// Registering keeps the response open after the entry returns (the handler promised to finish it later).
    /// </summary>
    /// <param name="handler">Called in the request's actor.</param>
    void OnAborted(Action<ISsgiHttpResponse> handler);

    /// <summary>The seed's <c>on_aborted(handler, *arguments)</c> with typed state.</summary>
    /// <typeparam name="TState">The state's type.</typeparam>
    /// <param name="handler">Called in the request's actor.</param>
    /// <param name="state">Passed to <paramref name="handler"/>.</param>
    void OnAborted<TState>(Action<ISsgiHttpResponse, TState> handler, TState state);

    /// <summary>The seed's awaitable <c>on_aborted</c> handler.</summary>
    /// <param name="handler">Called in the request's actor; its task is observed for errors.</param>
    void OnAborted(Func<ISsgiHttpResponse, ValueTask> handler);
}
