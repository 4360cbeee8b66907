using System.Text;
using ActorSsgi.TestKit.Http.Transport;
using Akka.Actor;
using Microsoft.Extensions.Primitives;

namespace ActorSsgi.TestKit.Http;

/// <summary>
/// The client's view of one response from <see cref="SsgiHttpTestKit.Send"/>: the head once it went on the wire,
/// the body bytes as they arrive, whether and by whom the connection was dropped, and the task the server gave
/// Kestrel. Thread-safe; values read before <see cref="Completed"/> are snapshots of what arrived so far.
/// </summary>
public sealed class SyntheticResponse
{
    private readonly SyntheticConnection _connection;
    private readonly TimeSpan _timeout;
    private readonly TaskCompletionSource<SyntheticResponse> _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal SyntheticResponse(SyntheticConnection connection, TimeSpan timeout)
    {
        _connection = connection;
        _timeout = timeout;
    }

    /// <summary>The request this answers.</summary>
    public SyntheticRequest Request => _connection.Request;

    /// <summary>The request actor that served the request (pooled actors serve many requests over their life).</summary>
    public IActorRef? Actor { get; private set; }

    /// <summary>
    /// The task the server returned to Kestrel for this request: it completes when the server is finished with the
    /// request (its actor released), even if the client is still reading.
    /// </summary>
    public Task ServerTask { get; private set; } = Task.CompletedTask;

    /// <summary>Completes when the status and headers went on the wire.</summary>
    public Task Started => _connection.Recorder.Started;

    /// <summary>
    /// Completes when the server finished the request and the client has read everything it will get (the whole
    /// body, or what came before an abort). Never faults. See <see cref="WaitAsync"/> for a bounded wait.
    /// </summary>
    public Task<SyntheticResponse> Completed => _completed.Task;

    /// <summary>Whether <see cref="Completed"/> has completed.</summary>
    public bool IsCompleted => Completed.IsCompleted;

    /// <summary>Whether the status and headers went on the wire.</summary>
    public bool HasStarted => _connection.Recorder.Head is not null;

    /// <summary>The status code the client received.</summary>
    /// <exception cref="InvalidOperationException">The response has not started (await <see cref="Started"/> or <see cref="Completed"/>).</exception>
    public int StatusCode => Head.StatusCode;

    /// <summary>
    /// The response headers as the client received them (case-insensitive names; repeated headers joined with
    /// <c>", "</c>), including what the transport added: <c>content-length: 0</c> for an empty body,
    /// <c>transfer-encoding: chunked</c> for an unsized HTTP/1.1 body.
    /// </summary>
    /// <exception cref="InvalidOperationException">The response has not started.</exception>
    public IReadOnlyDictionary<string, string> Headers =>
        Head.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);

    /// <summary>The <c>content-length</c> the client received, or <c>null</c> when there was none.</summary>
    /// <exception cref="InvalidOperationException">The response has not started.</exception>
    public long? ContentLength =>
        Head.Headers.TryGetValue("content-length", out var value) && long.TryParse(value.ToString(), out var length) ? length : null;

    /// <summary>Whether the body was sent with chunked framing (unsized, HTTP/1.1).</summary>
    /// <exception cref="InvalidOperationException">The response has not started.</exception>
    public bool IsChunked => Head.IsChunked;

    /// <summary>The body bytes received so far; the whole body once <see cref="Completed"/> (unless aborted).</summary>
    public byte[] Body => _connection.Recorder.Body();

    /// <summary>The body received so far, decoded as UTF-8.</summary>
    public string BodyText => Encoding.UTF8.GetString(_connection.Recorder.Body());

    /// <summary>Whether the body arrived whole: the server ended it normally and the connection was not dropped.</summary>
    public bool BodyComplete => _connection.Recorder.BodyComplete;

    /// <summary>Whether the connection was dropped, by either side.</summary>
    public bool Aborted => _connection.Recorder.IsAborted;

    /// <summary>Whether the server aborted the connection (a crash after the body started, a body it could not read, ...).</summary>
    public bool AbortedByServer => _connection.Recorder.ServerAborted;

    /// <summary>Whether the test dropped the connection (<see cref="SyntheticRequest.Abort"/>).</summary>
    public bool AbortedByClient => _connection.Recorder.ClientAborted;

    /// <summary>What the transport saw the server do, in order.</summary>
    public IReadOnlyList<SyntheticResponseEvent> Events => _connection.Recorder.Events();

    /// <summary>
    /// Breaches of the transport's rules by the server, which Kestrel would turn into errors or aborts: writes after
    /// the body ended, more or fewer bytes than <c>Content-Length</c>, status changes after the start, and any
    /// touch of the request's transport outside the request's actor. Empty for a well-behaved server.
    /// </summary>
    public IReadOnlyList<string> Violations => _connection.Recorder.Violations();

    /// <summary>One header as received, or <c>null</c>; repeated headers joined with <c>", "</c>.</summary>
    /// <param name="name">The name, any case.</param>
    /// <returns>The value, or <c>null</c>.</returns>
    /// <exception cref="InvalidOperationException">The response has not started.</exception>
    public string? Header(string name) => Head.Headers.TryGetValue(name, out var value) ? value.ToString() : null;

    /// <summary>Every value of one header as received (for example each <c>set-cookie</c>).</summary>
    /// <param name="name">The name, any case.</param>
    /// <returns>The values; empty when there is no such header.</returns>
    /// <exception cref="InvalidOperationException">The response has not started.</exception>
    public IReadOnlyList<string> HeaderValues(string name) =>
        Head.Headers.TryGetValue(name, out var value) ? value.Select(v => v ?? "").ToArray() : [];

    /// <summary>Stops reading the body: once the connection's buffer is full, the server's flushes wait (backpressure).</summary>
    public void PauseReading() => _connection.Recorder.PauseReading();

    /// <summary>Reads the body again after <see cref="PauseReading"/>.</summary>
    public void ResumeReading() => _connection.Recorder.ResumeReading();

    /// <summary>Waits until at least <paramref name="length"/> body bytes arrived.</summary>
    /// <param name="length">The number of bytes.</param>
    /// <param name="timeout">The longest wait; the kit's timeout when <c>null</c>.</param>
    /// <returns>Completes when the bytes are there.</returns>
    /// <exception cref="TimeoutException">They did not arrive in time.</exception>
    /// <exception cref="InvalidOperationException">The body ended, or the connection dropped, before.</exception>
    public Task WaitForBodyAsync(int length, TimeSpan? timeout = null) =>
        Within(_connection.Recorder.WaitForBody(length), timeout, $"{length} body bytes");

    /// <summary>Waits until the status and headers went on the wire.</summary>
    /// <param name="timeout">The longest wait; the kit's timeout when <c>null</c>.</param>
    /// <returns>This response.</returns>
    /// <exception cref="TimeoutException">The response did not start in time.</exception>
    public async Task<SyntheticResponse> WaitForStartAsync(TimeSpan? timeout = null)
    {
        await Within(Started, timeout, "the response head").ConfigureAwait(false);
        return this;
    }

    /// <summary><see cref="Completed"/>, bounded by <paramref name="timeout"/>.</summary>
    /// <param name="timeout">The longest wait; the kit's timeout when <c>null</c>.</param>
    /// <returns>This response.</returns>
    /// <exception cref="TimeoutException">The request did not complete in time; the message says how far it got.</exception>
    public async Task<SyntheticResponse> WaitAsync(TimeSpan? timeout = null)
    {
        await Within(Completed, timeout, "completion").ConfigureAwait(false);
        return this;
    }

    /// <summary>A one-line account: request, status, body size, abort, events and violations.</summary>
    /// <returns>The description.</returns>
    public override string ToString()
    {
        var head = _connection.Recorder.Head;
        var status = head is null ? "not started" : head.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var aborted = AbortedByServer ? ", aborted by the server" : AbortedByClient ? ", aborted by the client" : "";
        var violations = _connection.Recorder.Violations();
        return $"{Request}: {status}, {_connection.Recorder.BodyLength} body bytes{aborted}, " +
            $"server task {(ServerTask.IsCompleted ? "completed" : "pending")}, events [{string.Join(", ", Events)}]" +
            (violations.Length == 0 ? "" : $", violations: {string.Join(" | ", violations)}");
    }

    private ResponseHead Head => _connection.Recorder.Head
        ?? throw new InvalidOperationException($"The response to {Request} has not started yet: await Started or Completed first.");

    /// <summary>Follows the request the kit handed to the server.</summary>
    /// <param name="actor">The actor that owns the request.</param>
    /// <param name="serverTask">The task the server returned.</param>
    /// <param name="ended">The transport's end of the request (after <paramref name="serverTask"/>).</param>
    internal void Track(IActorRef? actor, Task serverTask, Task ended)
    {
        Actor = actor;
        ServerTask = serverTask;
        _ = CompleteAsync(ended);
    }

    private async Task CompleteAsync(Task ended)
    {
        try
        {
            await ended.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _connection.Recorder.Violation($"Ending the request failed: {ex.GetType().Name}: {ex.Message}");
        }

        await _connection.Recorder.BodyEnded.ConfigureAwait(false);
        _completed.TrySetResult(this);
    }

    private async Task Within(Task task, TimeSpan? timeout, string what)
    {
        var limit = timeout ?? _timeout;
        try
        {
            await task.WaitAsync(limit).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Waited {limit.TotalSeconds:0.###} s for {what} of {this}.");
        }
    }
}
