using System.Buffers;
using Microsoft.AspNetCore.Http;
using System.IO.Pipelines;
using System.Text;

namespace ActorSsgi.Http;

/// <summary>The response side: status, headers, body writes, flushes with backpressure.</summary>
internal sealed partial class HttpExchange
{
    private long? _totalSize;
    private long _bytesSent;

    // The one flush in flight, if any (a PipeWriter allows one at a time); its completion arrives as a message.
    private Task? _flushing;
    private bool _flushAgain;

    // Once anything was flushed, Kestrel no longer flushes the rest of the body when the request completes.
    private bool _headFlushed;

    public void SendStatus(int statusCode)
    {
        if (IsGone())
        {
            return;
        }

        if (statusCode is < 100 or > 599)
        {
            throw new ArgumentOutOfRangeException(nameof(statusCode), statusCode, "An HTTP status code is 100-599 (RFC 9110 defines the classes 1xx to 5xx only).");
        }

        EnsureHeadOpen("status");
        _head.StatusCode = statusCode;
        _state = HttpResponseState.HeadersSent;
    }

    public void AddHeader(string name, string value)
    {
        if (IsGone())
        {
            return;
        }

        EnsureHeadOpen("headers");
        ArgumentException.ThrowIfNullOrEmpty(name);
        _head.Headers.Append(ResponseHeaderNames.Canonical(name), value);
        _state = HttpResponseState.HeadersSent;
    }

    public void Send(ReadOnlySpan<byte> payload, bool hasMore)
    {
        if (IsGone())
        {
            return;
        }

        EnsureNotEnded();
        if (_totalSize is long total && (_bytesSent + payload.Length > total || (!hasMore && _bytesSent + payload.Length != total)))
        {
            throw new InvalidOperationException(
                $"Send would end the body at {_bytesSent + payload.Length} bytes, but SendChunk announced a total_size of {total}.");
        }

        if (_state.CanSetHead())
        {
            if (!hasMore && HasBodyByStatus())
            {
                // Known length, no chunked framing: status, headers and body leave in one write.
                _head.Headers.ContentLength = payload.Length;
            }

            _state = HttpResponseState.Streaming;
        }

        if (!payload.IsEmpty)
        {
            WriteBody(payload);
            _bytesSent += payload.Length;
        }

        if (hasMore)
        {
            StartFlush();
        }
        else
        {
            End();
        }
    }

    public void Send(string? payload, bool hasMore)
    {
        if (payload is null || payload.Length == 0)
        {
            Send(ReadOnlySpan<byte>.Empty, hasMore);
            return;
        }

        // Small texts are encoded on the stack; large ones through a pooled buffer.
        var max = Encoding.UTF8.GetMaxByteCount(payload.Length);
        if (max <= 1024)
        {
            Span<byte> buffer = stackalloc byte[max];
            Send(buffer[..Encoding.UTF8.GetBytes(payload, buffer)], hasMore);
            return;
        }

        var rented = System.Buffers.ArrayPool<byte>.Shared.Rent(max);
        try
        {
            Send(rented.AsSpan(0, Encoding.UTF8.GetBytes(payload, rented)), hasMore);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public ValueTask<SsgiChunkResult> SendChunk(ReadOnlySpan<byte> chunk, long? totalSize)
    {
        if (IsGone())
        {
            return new(new SsgiChunkResult(false, true));
        }

        EnsureNotEnded();
        if (_state.CanSetHead())
        {
            if (totalSize is long total)
            {
                ArgumentOutOfRangeException.ThrowIfNegative(total, nameof(totalSize));
                _totalSize = total;
                if (HasBodyByStatus())
                {
                    _head.Headers.ContentLength = total;
                }
            }

            _state = HttpResponseState.Streaming;
        }

        else if (totalSize is long later && _totalSize != later)
        {
            throw new InvalidOperationException(
                $"SendChunk's total_size ({later}) differs from the one the response started with ({_totalSize?.ToString() ?? "none"}).");
        }

        if (_totalSize is long limit && _bytesSent + chunk.Length > limit)
        {
            throw new InvalidOperationException(
                $"SendChunk would send {_bytesSent + chunk.Length} bytes, more than the total_size of {limit}.");
        }

        if (!chunk.IsEmpty)
        {
            WriteBody(chunk);
            _bytesSent += chunk.Length;
        }

        if (_totalSize == _bytesSent)
        {
            End();
            return new(new SsgiChunkResult(true, true));
        }

        StartFlush();
        return _flushing is null ? new(ChunkResult()) : WaitForFlushAsync();
    }

    private SsgiChunkResult ChunkResult() => new(_state != HttpResponseState.Aborted, _state.IsFinal());

    private async ValueTask<SsgiChunkResult> WaitForFlushAsync()
    {
        // Resumes in the actor; the flush may have been chained by a concurrent send, so wait until none is left.
        var generation = _generation;
        while (_flushing is { } flushing && generation == _generation)
        {
            await flushing;
        }

        // The request may have finished meanwhile (aborted, or the actor moved on): then it is over for this caller.
        return generation == _generation ? ChunkResult() : new SsgiChunkResult(false, true);
    }

    /// <summary>Pushes written bytes to the client; at most one flush runs, a second request chains behind it.</summary>
    private void StartFlush()
    {
        if (_flushing is not null)
        {
            _flushAgain = true;
            return;
        }

        _headFlushed = true;
        ValueTask<FlushResult> flush;
        try
        {
            flush = _body.Writer.FlushAsync();
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or InvalidOperationException)
        {
            Abort();
            return;
        }

        if (flush.IsCompletedSuccessfully)
        {
            OnFlushed(flush.Result);
            return;
        }

        // The helper may finish synchronously (the flush completed meanwhile); only a pending one is "in flight".
        var flushing = AwaitFlushAsync(flush, _generation);
        if (!flushing.IsCompleted)
        {
            _flushing = flushing;
        }
    }

    private async Task AwaitFlushAsync(ValueTask<FlushResult> flush, long generation)
    {
        FlushResult result = default;
        var failed = false;
        try
        {
            result = await flush;
        }
        catch (Exception)
        {
            failed = true;
        }

        // Back in the actor.
        if (generation != _generation)
        {
            return;
        }

        _flushing = null;
        if (failed)
        {
            Abort();
        }
        else
        {
            OnFlushed(result);
        }

        if (_flushAgain && !_state.IsFinal())
        {
            _flushAgain = false;
            StartFlush();
        }
        else if (_state == HttpResponseState.Ended && _entryRunning && !_headersExpired)
        {
            CompleteBody();
        }

        TryFinish();
    }

    private void OnFlushed(FlushResult result)
    {
        if (result.IsCanceled || result.IsCompleted)
        {
            // The connection's writer completed: the client is gone.
            Abort();
        }
    }

    /// <summary>The response is complete: the state machine's one way into Ended.</summary>
    private void End()
    {
        _state = HttpResponseState.Ended;
        if (_headFlushed)
        {
            StartFlush();
        }

        if (_inEntryCall)
        {
            // Kestrel completes the response when the entry returns: one corked write.
            return;
        }

        PushEnded();
        TryFinish();
    }

    /// <summary>The request stays open while the entry may still read headers, but the client gets its response now.</summary>
    private void PushEnded()
    {
        if (_entryRunning && !_headersExpired)
        {
            CompleteBody();
        }
    }

    private void CompleteBody()
    {
        if (_flushing is not null)
        {
            return;
        }

        var complete = _body.CompleteAsync();
        if (!complete.IsCompletedSuccessfully)
        {
            var completing = AwaitCompleteAsync(complete, _generation);
            if (!completing.IsCompleted)
            {
                _flushing = completing;
            }
        }
    }

    private async Task AwaitCompleteAsync(Task complete, long generation)
    {
        try
        {
            await complete;
        }
        catch (Exception)
        {
            // The client is gone; nothing more to send.
        }

        if (generation == _generation)
        {
            _flushing = null;
            TryFinish();
        }
    }

    /// <summary>
    /// Copies into Kestrel's writer with explicit size hints: before the response starts, Kestrel answers a
    /// hint-less GetSpan() with an empty span, which the generic IBufferWriter.Write treats as an error.
    /// </summary>
    private void WriteBody(ReadOnlySpan<byte> data)
    {
        var writer = _body.Writer;
        while (!data.IsEmpty)
        {
            var span = writer.GetSpan(Math.Min(data.Length, 4096));
            var size = Math.Min(span.Length, data.Length);
            data[..size].CopyTo(span);
            writer.Advance(size);
            data = data[size..];
        }
    }

    private bool HasBodyByStatus() => _head.StatusCode is not (204 or 304) and >= 200;

    /// <summary>After abort, every call is a quiet no-op (the seed: no throw into user code).</summary>
    private bool IsGone() => _state == HttpResponseState.Aborted || _context is null;

    private void EnsureNotEnded()
    {
        if (_state == HttpResponseState.Ended)
        {
            throw new InvalidOperationException("The response has already ended; nothing more can be sent.");
        }

        if (_sendingFile)
        {
            throw new InvalidOperationException("A SendFile is still in flight; await it before sending more of the body.");
        }
    }

    private void EnsureHeadOpen(string what)
    {
        EnsureNotEnded();
        if (!_state.CanSetHead())
        {
            throw new InvalidOperationException(
                $"Cannot send {what}: the body has started, so the status and headers are already on the wire.");
        }
    }
}
