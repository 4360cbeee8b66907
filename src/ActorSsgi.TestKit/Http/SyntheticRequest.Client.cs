using System.Text;
using ActorSsgi.TestKit.Http.Transport;

namespace ActorSsgi.TestKit.Http;

/// <summary>The client's side of a sent request: body chunks over time, and dropping the connection.</summary>
public sealed partial class SyntheticRequest
{
    private readonly RequestBody _body;
    private SyntheticConnection? _connection;
    private int _aborted;

    /// <summary>Whether the request was handed to a kit.</summary>
    public bool IsSent => Volatile.Read(ref _connection) is not null;

    /// <summary>Whether <see cref="Abort"/> was called.</summary>
    public bool IsAborted => Volatile.Read(ref _aborted) != 0;

    /// <summary>
    /// Writes the next piece of a body announced with <see cref="WithStreamingBody"/>; the handler's
    /// <c>get_chunk</c> sees it as it arrives. May be called before or after sending. Waits while the server
    /// has not read what is buffered (1 MiB), as a socket would. Does nothing after <see cref="Abort"/>.
    /// </summary>
    /// <param name="chunk">The bytes; copied before the call returns.</param>
    /// <returns>Completes when the server can take more.</returns>
    /// <exception cref="InvalidOperationException">
    /// The request has no streaming body, the body was completed, or the chunk goes past the announced length.
    /// </exception>
    public ValueTask WriteBodyAsync(ReadOnlyMemory<byte> chunk) => IsAborted ? default : _body.WriteAsync(chunk);

    /// <summary>Writes the next piece of a streaming body as UTF-8 (see <see cref="WriteBodyAsync(ReadOnlyMemory{byte})"/>).</summary>
    /// <param name="chunk">The text.</param>
    /// <returns>Completes when the server can take more.</returns>
    public ValueTask WriteBodyAsync(string chunk) => WriteBodyAsync(Encoding.UTF8.GetBytes(chunk));

    /// <summary>
    /// Ends a streaming body: the handler's next <c>get_chunk</c> returns <c>null</c>. Ending before the announced
    /// <c>content-length</c> is what Kestrel reports as a bad request (400) to the reader.
    /// </summary>
    /// <exception cref="InvalidOperationException">The request has no streaming body.</exception>
    public void CompleteBody() => _body.Complete();

    /// <summary>
    /// Ends a streaming body with a transport error the server's body reads will throw, for example a
    /// <see cref="Microsoft.AspNetCore.Http.BadHttpRequestException"/> for broken framing.
    /// </summary>
    /// <param name="error">The error.</param>
    /// <exception cref="InvalidOperationException">The request has no streaming body.</exception>
    public void FailBody(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        _body.Fail(error);
    }

    /// <summary>
    /// Drops the connection, as a client that went away: like Kestrel, the transport closes first (the server's
    /// pending body reads fail, pending flushes return, nothing more reaches <see cref="SyntheticResponse"/>), then
    /// the request's <c>RequestAborted</c> token fires. Safe from any thread, at any moment, before or after
    /// sending; calling it again does nothing.
    /// </summary>
    public void Abort()
    {
        if (Interlocked.Exchange(ref _aborted, 1) == 0)
        {
            Volatile.Read(ref _connection)?.ClientAbort();
        }
    }

    internal RequestBody Body => _body;

    /// <summary>
    /// Replaces the body reader the server gets with one built over the kit's own (this project's tests give it
    /// reads whose completion races the server's looks at them).
    /// </summary>
    internal Func<System.IO.Pipelines.PipeReader, System.IO.Pipelines.PipeReader>? BodyReaderWrapper { get; set; }

    /// <summary>Binds the request to the connection that carries it; a request is sent once.</summary>
    internal void Attach(SyntheticConnection connection)
    {
        if (Interlocked.CompareExchange(ref _connection, connection, null) is not null)
        {
            throw new InvalidOperationException($"{this} was already sent; build a new SyntheticRequest for each request.");
        }

        if (IsAborted)
        {
            connection.ClientAbort();
        }
    }

    private void ThrowIfSent()
    {
        if (IsSent)
        {
            throw new InvalidOperationException($"{this} was already sent; it can no longer be changed.");
        }
    }
}
