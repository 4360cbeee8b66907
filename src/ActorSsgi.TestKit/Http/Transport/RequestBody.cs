using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;

namespace ActorSsgi.TestKit.Http.Transport;

/// <summary>The bytes a synthetic client sends after the head: none, all up front, or written over time.</summary>
internal sealed class RequestBody
{
    private const int StreamingBuffer = 1024 * 1024;

    private readonly object _gate = new();
    private Pipe _pipe = CompletedEmpty();
    private bool _streaming;
    private bool _completed = true;
    private long _written;

    /// <summary>The announced length, or <c>null</c> for a chunked body (or none).</summary>
    public long? ContentLength { get; private set; }

    /// <summary>What Kestrel's <c>IHttpRequestBodyDetectionFeature.CanHaveBody</c> would say.</summary>
    public bool CanHaveBody { get; private set; }

    public PipeReader Reader => _pipe.Reader;

    public void SetFixed(byte[] body)
    {
        // No threshold: the whole body is buffered before the server reads.
        _pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 0, resumeWriterThreshold: 0));
        _pipe.Writer.Write(body);
        _ = _pipe.Writer.FlushAsync();
        _pipe.Writer.Complete();
        _streaming = false;
        _completed = true;
        ContentLength = body.Length;
        CanHaveBody = body.Length > 0;
    }

    public void SetStreaming(long? contentLength)
    {
        if (contentLength is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(contentLength), "A content-length is not negative.");
        }

        _pipe = new Pipe(new PipeOptions(pauseWriterThreshold: StreamingBuffer, resumeWriterThreshold: StreamingBuffer / 2));
        _streaming = true;
        _completed = contentLength == 0;
        if (_completed)
        {
            _pipe.Writer.Complete();
        }

        ContentLength = contentLength;
        CanHaveBody = contentLength != 0;
    }

    public ValueTask WriteAsync(ReadOnlyMemory<byte> chunk)
    {
        lock (_gate)
        {
            ThrowIfNotOpen();
            if (ContentLength is long length && _written + chunk.Length > length)
            {
                throw new InvalidOperationException(
                    $"Writing {chunk.Length} more bytes would exceed the announced content-length of {length} ({_written} written).");
            }

            _written += chunk.Length;
        }

        var flush = _pipe.Writer.WriteAsync(chunk);
        return flush.IsCompletedSuccessfully ? default : AwaitFlush(flush);

        static async ValueTask AwaitFlush(ValueTask<FlushResult> flush) => await flush.ConfigureAwait(false);
    }

    public void Complete()
    {
        Exception? error = null;
        lock (_gate)
        {
            ThrowIfNotOpen();
            _completed = true;
            if (ContentLength is long length && _written < length)
            {
                // Kestrel: the connection ended the body early.
                error = new BadHttpRequestException("Unexpected end of request content.", StatusCodes.Status400BadRequest);
            }
        }

        _pipe.Writer.Complete(error);
    }

    public void Fail(Exception error)
    {
        lock (_gate)
        {
            ThrowIfNotOpen();
            _completed = true;
        }

        _pipe.Writer.Complete(error);
    }

    private void ThrowIfNotOpen()
    {
        if (!_streaming)
        {
            throw new InvalidOperationException("The request has no streaming body: call WithStreamingBody() before sending.");
        }

        if (_completed)
        {
            throw new InvalidOperationException("The request body is already complete.");
        }
    }

    private static Pipe CompletedEmpty()
    {
        var pipe = new Pipe();
        pipe.Writer.Complete();
        return pipe;
    }
}
