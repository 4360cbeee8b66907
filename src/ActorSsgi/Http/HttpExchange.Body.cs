using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace ActorSsgi.Http;

/// <summary>The request body side: get_data and get_chunk over Kestrel's body pipe, with backpressure.</summary>
internal sealed partial class HttpExchange
{
    /// <summary>Most bytes one get_chunk returns; larger buffered data is handed out over several calls.</summary>
    internal const int MaxChunkSize = 64 * 1024;

    private PipeReader? _reader;
    private bool _holdingChunk;
    private SequencePosition _chunkEnd;
    private byte[]? _chunkBuffer;
    private bool _bodyDone;

    public ValueTask<ReadOnlyMemory<byte>?> GetChunk()
    {
        if (!BeginRead())
        {
            return new((ReadOnlyMemory<byte>?)null);
        }

        ValueTask<ReadResult> read;
        try
        {
            read = _reader!.ReadAsync();

            // One look at the read, and every decision from it: Kestrel completes a pending read on its own thread,
            // so a second look may find it done. Taking that second look for a synchronous completion issued a
            // second ReadAsync over the unconsumed first ("Reading is already in progress") and aborted the request:
            // 3 of 80 runs of StreamingMemorySpec's 1 GiB copy. RequestBodySpec opens that window on every read.
            if (read.IsCompletedSuccessfully)
            {
                var chunk = TakeChunk(read.Result);
                if (chunk is null || !chunk.Value.IsEmpty)
                {
                    return new(chunk);
                }

                // An empty read that is not the end (already advanced by TakeChunk): wait for the next data.
                read = _reader.ReadAsync();
            }
        }
        catch (Exception ex)
        {
            return new(OnReadFailed(ex));
        }

        return AwaitChunkAsync(read, _generation);
    }

    private async ValueTask<ReadOnlyMemory<byte>?> AwaitChunkAsync(ValueTask<ReadResult> read, long generation)
    {
        while (true)
        {
            ReadResult result;
            try
            {
                result = await read;
            }
            catch (Exception ex)
            {
                return generation == _generation ? OnReadFailed(ex) : null;
            }

            // Back in the actor: the "body data available" event.
            if (generation != _generation || IsGone())
            {
                return null;
            }

            var chunk = TakeChunk(result);
            if (chunk is null || !chunk.Value.IsEmpty)
            {
                return chunk;
            }

            // An empty read that is not the end (the body's last bytes were consumed): wait for the end itself.
            if (_bodyDone)
            {
                return null;
            }

            read = _reader!.ReadAsync();
        }
    }

    private ReadOnlyMemory<byte>? TakeChunk(ReadResult result)
    {
        var buffer = result.Buffer;
        if (buffer.IsEmpty)
        {
            _reader!.AdvanceTo(buffer.End);
            _bodyDone = result.IsCompleted || result.IsCanceled;
            // Typed explicitly: in "_bodyDone ? null : ReadOnlyMemory<byte>.Empty" the null converts to an empty
            // ReadOnlyMemory (through the byte[] conversion), so the end of the body would read as an empty chunk.
            return _bodyDone ? (ReadOnlyMemory<byte>?)null : ReadOnlyMemory<byte>.Empty;
        }

        // Zero copy when the first segment is a good size; otherwise gather into one reusable buffer.
        ReadOnlyMemory<byte> chunk;
        var first = buffer.First;
        if (first.Length >= MaxChunkSize || first.Length == buffer.Length)
        {
            chunk = first.Length > MaxChunkSize ? first[..MaxChunkSize] : first;
        }
        else
        {
            var length = (int)Math.Min(buffer.Length, MaxChunkSize);
            _chunkBuffer ??= ArrayPool<byte>.Shared.Rent(MaxChunkSize);
            buffer.Slice(0, length).CopyTo(_chunkBuffer);
            chunk = _chunkBuffer.AsMemory(0, length);
        }

        _chunkEnd = buffer.GetPosition(chunk.Length);
        _holdingChunk = true;
        return chunk;
    }

    public async ValueTask<ReadOnlyMemory<byte>?> GetData()
    {
        if (!BeginRead())
        {
            return null;
        }

        var generation = _generation;
        var length = _context!.Request.Headers.ContentLength;
        // The announced length is only a hint until the transport checked it against the limit (on the first read):
        // reserve at most one chunk's worth up front and let the buffer grow with what really arrives.
        var writer = new ArrayBufferWriter<byte>(length is > 0 ? (int)Math.Min(length.Value, MaxChunkSize) : 4096);
        try
        {
            while (true)
            {
                var result = await _reader!.ReadAsync();
                if (generation != _generation || IsGone())
                {
                    return null;
                }

                foreach (var segment in result.Buffer)
                {
                    writer.Write(segment.Span);
                }

                _reader.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (Exception ex)
        {
            return generation == _generation ? OnReadFailed(ex) : null;
        }

        _bodyDone = true;
        return writer.WrittenCount == 0 ? (ReadOnlyMemory<byte>?)null : writer.WrittenMemory;
    }

    /// <summary>Releases the previous chunk and says whether there may be more body to read.</summary>
    private bool BeginRead()
    {
        if (IsGone())
        {
            return false;
        }

        ReleaseChunk();
        if (_bodyDone)
        {
            return false;
        }

        if (_reader is null)
        {
            var features = _context!.Features;
            if (features.Get<IHttpRequestBodyDetectionFeature>() is { CanHaveBody: false })
            {
                _bodyDone = true;
                return false;
            }

            _reader = features.Get<IRequestBodyPipeFeature>()?.Reader;
            if (_reader is null)
            {
                _bodyDone = true;
                return false;
            }
        }

        return true;
    }

    private ReadOnlyMemory<byte>? OnReadFailed(Exception error)
    {
        _holdingChunk = false;
        _bodyDone = true;
        if (error is BadHttpRequestException bad && _state.CanSetHead())
        {
            // 413 past MaxRequestBodySize, 400 for broken framing: the client's fault, said with a status. The
            // handler can no longer respond, so for it the response is aborted (Aborted, on_aborted, no-op sends).
            _head.Headers.Clear();
            if (_serverHeader.Count > 0)
            {
                _head.Headers.Server = _serverHeader;
            }

            _head.StatusCode = bad.StatusCode;
            _head.Headers.ContentLength = 0;
            // Kestrel closes the connection after broken framing; say so, as its own 400s do.
            _head.Headers.Connection = "close";
            Abort(dropConnection: false);
        }
        else
        {
            Abort();
        }

        TryFinish();

        return null;
    }

    private void ReleaseChunk()
    {
        if (_holdingChunk)
        {
            _holdingChunk = false;
            _reader!.AdvanceTo(_chunkEnd);
        }
    }

    private void ReleaseBody()
    {
        if (_holdingChunk && !_state.Equals(HttpResponseState.Aborted))
        {
            try
            {
                ReleaseChunk();
            }
            catch (InvalidOperationException)
            {
                // The reader already completed with the connection.
            }
        }

        _holdingChunk = false;
        _reader = null;
        _bodyDone = false;
        if (_chunkBuffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_chunkBuffer);
            _chunkBuffer = null;
        }
    }
}
