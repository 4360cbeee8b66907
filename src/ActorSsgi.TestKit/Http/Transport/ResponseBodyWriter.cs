using System.IO.Pipelines;

namespace ActorSsgi.TestKit.Http.Transport;

/// <summary>
/// The response body writer the server gets (<c>IHttpResponseBodyFeature.Writer</c>): writes into the client's
/// pipe, starts the response on the first flush as Kestrel does, and enforces what Kestrel enforces (no more bytes
/// than <c>Content-Length</c>, no writes after completion), recording each breach as a violation.
/// </summary>
internal sealed class ResponseBodyWriter(SyntheticConnection connection) : PipeWriter
{
    private readonly PipeWriter _inner = connection.Recorder.Writer;
    private long _written;
    private bool _completed;

    /// <summary>Bytes the server advanced so far.</summary>
    public long BytesWritten => Volatile.Read(ref _written);

    /// <summary>Whether the body was completed (by the server, or by the transport at the end of the request).</summary>
    public bool IsCompleted => Volatile.Read(ref _completed);

    public override Memory<byte> GetMemory(int sizeHint = 0)
    {
        connection.Guard.Check("Response body GetMemory");
        ThrowIfCompleted();
        return _inner.GetMemory(sizeHint);
    }

    public override Span<byte> GetSpan(int sizeHint = 0)
    {
        connection.Guard.Check("Response body GetSpan");
        ThrowIfCompleted();
        return _inner.GetSpan(sizeHint);
    }

    public override void Advance(int bytes)
    {
        connection.Guard.Check("Response body Advance");
        ThrowIfCompleted();
        var total = _written + bytes;
        if (connection.ResponseHead.Headers.ContentLength is long length && total > length && connection.ResponseHead.BodyAllowed)
        {
            var message = $"Response Content-Length mismatch: too many bytes written ({total} of {length}).";
            connection.Recorder.Violation(message);
            throw new InvalidOperationException(message);
        }

        Volatile.Write(ref _written, total);
        _inner.Advance(bytes);
    }

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        connection.Guard.Check("Response body FlushAsync");
        ThrowIfCompleted();
        connection.ResponseHead.Commit(appCompleted: false);
        connection.Recorder.Record(SyntheticResponseEvent.Flushed);
        if (connection.Recorder.IsAborted)
        {
            // The connection is gone: the bytes go nowhere, and the writer says so.
            return new(new FlushResult(isCanceled: false, isCompleted: true));
        }

        return _inner.FlushAsync(cancellationToken);
    }

    public override void CancelPendingFlush() => _inner.CancelPendingFlush();

    public override bool CanGetUnflushedBytes => _inner.CanGetUnflushedBytes;

    public override long UnflushedBytes => _inner.UnflushedBytes;

    public override void Complete(Exception? exception = null) => _ = CompleteAsync(exception);

    public override ValueTask CompleteAsync(Exception? exception = null)
    {
        connection.Guard.Check("Response body CompleteAsync");
        return new(connection.ResponseBody.CompleteAsync());
    }

    /// <summary>Flushes what is left and ends the body; once only. The transport's end of a response.</summary>
    internal async Task EndAsync()
    {
        if (_completed)
        {
            return;
        }

        _completed = true;
        if (!connection.Recorder.IsAborted)
        {
            await _inner.FlushAsync().ConfigureAwait(false);
        }

        await _inner.CompleteAsync().ConfigureAwait(false);
        connection.Recorder.Record(SyntheticResponseEvent.BodyCompleted);
    }

    private void ThrowIfCompleted()
    {
        if (_completed)
        {
            const string message = "The response body was written after it was completed.";
            connection.Recorder.Violation(message);
            throw new InvalidOperationException(message);
        }
    }
}
