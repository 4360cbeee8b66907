using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;

namespace ActorSsgi.TestKit.Http.Transport;

/// <summary>
/// The request body reader the server gets (<c>IRequestBodyPipeFeature.Reader</c>), over the client's body pipe,
/// with Kestrel's rules: a body over <c>MaxRequestBodySize</c> fails with a 413
/// <see cref="BadHttpRequestException"/>, and reads after the connection dropped fail with
/// <see cref="TaskCanceledException"/> ("The request was aborted").
/// </summary>
internal sealed class RequestBodyReader(SyntheticConnection connection, PipeReader inner, long? contentLength, long? maxSize) : PipeReader
{
    private ReadOnlySequence<byte> _lastBuffer;
    private long _consumed;
    private volatile bool _aborted;

    /// <summary>The connection dropped: a pending read returns, and every read from now on fails.</summary>
    public void Abort()
    {
        _aborted = true;
        inner.CancelPendingRead();
    }

    public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        connection.Guard.Check("Request body ReadAsync");
        ThrowIfAborted();
        if (maxSize is long max && contentLength > max)
        {
            // Kestrel checks the announced length when reading starts.
            throw TooLarge();
        }

        var read = inner.ReadAsync(cancellationToken);
        return read.IsCompletedSuccessfully ? new(Inspect(read.Result)) : AwaitReadAsync(read);
    }

    public override bool TryRead(out ReadResult result)
    {
        connection.Guard.Check("Request body TryRead");
        ThrowIfAborted();
        if (!inner.TryRead(out result))
        {
            return false;
        }

        result = Inspect(result);
        return true;
    }

    public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        connection.Guard.Check("Request body AdvanceTo");
        _consumed += _lastBuffer.Slice(0, consumed).Length;
        _lastBuffer = default;
        inner.AdvanceTo(consumed, examined);
    }

    public override void CancelPendingRead() => inner.CancelPendingRead();

    public override void Complete(Exception? exception = null) => inner.Complete(exception);

    // An async method, as Kestrel's body readers are: the caller's await resumes on its SynchronizationContext.
    private async ValueTask<ReadResult> AwaitReadAsync(ValueTask<ReadResult> read) => Inspect(await read);

    private ReadResult Inspect(ReadResult result)
    {
        if (result.IsCanceled && _aborted)
        {
            inner.AdvanceTo(result.Buffer.Start);
            ThrowIfAborted();
        }

        if (maxSize is long max && _consumed + result.Buffer.Length > max)
        {
            inner.AdvanceTo(result.Buffer.Start);
            throw TooLarge();
        }

        _lastBuffer = result.Buffer;
        return result;
    }

    private void ThrowIfAborted()
    {
        if (_aborted)
        {
            throw new TaskCanceledException("The request was aborted", new Microsoft.AspNetCore.Connections.ConnectionAbortedException());
        }
    }

    private static BadHttpRequestException TooLarge() =>
        new("Request body too large.", StatusCodes.Status413PayloadTooLarge);
}
