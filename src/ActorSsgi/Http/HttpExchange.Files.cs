using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace ActorSsgi.Http;

/// <summary>File responses (<c>http.response.file</c>): a whole static-file answer, or a file range as body bytes.</summary>
internal sealed partial class HttpExchange
{
    // A SendFile owns the body writer until it completes: Kestrel writes the file through the body stream from the
    // thread pool, so a write from the actor meanwhile would interleave with it.
    private bool _sendingFile;

    /// <summary>Answers with the file as a static file server does; returns the status sent (0: aborted before).</summary>
    public ValueTask<int> ServeFile(string path, string? contentType)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (IsGone())
        {
            return new(0);
        }

        EnsureHeadOpen("a file");
        var files = _files ?? throw new InvalidOperationException("This server offers no file responses.");
        var file = files.Resolve(path, out var refused);
        if (file is null)
        {
            return new(AnswerEmpty(refused));
        }

        // Everything the answer depends on is read now, while the request is certainly live; nothing is read after
        // the first await (the file's bytes go out after it).
        var request = _context!.Request;
        var headers = request.Headers;
        var isGet = HttpMethods.IsGet(request.Method);
        var isHead = !isGet && HttpMethods.IsHead(request.Method);
        var validators = new FileValidators(file.Length, file.LastWriteTimeUtc);
        var head = _head.Headers;
        head.LastModified = validators.LastModified.ToString("R", CultureInfo.InvariantCulture);
        head.ETag = validators.ETag.ToString();
        head.AcceptRanges = "bytes";
        if ((isGet || isHead) && validators.NotModified(headers.IfNoneMatch, headers.IfModifiedSince))
        {
            return new(AnswerEmpty(StatusCodes.Status304NotModified));
        }

        long offset = 0, count = validators.Length;
        var status = StatusCodes.Status200OK;

        // RFC 9110 defines range handling for GET only: a HEAD describes the whole file.
        if (isGet && headers.Range.Count > 0 && validators.RangeApplies(headers.IfRange))
        {
            switch (validators.Range(headers.Range, out offset, out count))
            {
                case FileRangeKind.Partial:
                    status = StatusCodes.Status206PartialContent;
                    head.ContentRange = $"bytes {offset}-{offset + count - 1}/{validators.Length}";
                    break;
                case FileRangeKind.Unsatisfiable:
                    head.ContentRange = $"bytes */{validators.Length}";
                    return new(AnswerEmpty(StatusCodes.Status416RangeNotSatisfiable));
            }
        }

        if (contentType is not null || Microsoft.Extensions.Primitives.StringValues.IsNullOrEmpty(head.ContentType))
        {
            // A Content-Type the handler sent before the call is one of the headers that are kept.
            head.ContentType = contentType ?? files.ContentTypeOf(file.Name);
        }
        _head.StatusCode = status;
        _state = HttpResponseState.HeadersSent;
        if (isHead)
        {
            // Kestrel drops a HEAD's body, but its Content-Length still tells the client the file's size.
            _head.Headers.ContentLength = count;
            _state = HttpResponseState.Streaming;
            End();
            return new(status);
        }

        var sending = SendFileRange(file.FullName, offset, count);
        return sending.IsCompletedSuccessfully ? new(status) : StatusWhenSentAsync(sending, status);
    }

    /// <summary>Sends a range of a file as body bytes (the whole body when the body has not started).</summary>
    public ValueTask<bool> SendFile(string path, long offset, long? count)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (IsGone())
        {
            return new(false);
        }

        EnsureNotEnded();
        var files = _files ?? throw new InvalidOperationException("This server offers no file responses.");
        var file = files.Resolve(path, out var refused);
        if (file is null)
        {
            throw refused == 403
                ? new UnauthorizedAccessException($"'{path}' is outside the allowed root of file responses.")
                : new FileNotFoundException($"No file '{path}' under the allowed root of file responses.", path);
        }

        var length = file.Length;
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(offset, length);
        var take = count ?? length - offset;
        ArgumentOutOfRangeException.ThrowIfNegative(take, nameof(count));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(take, length - offset, nameof(count));
        return SendFileRange(file.FullName, offset, take);
    }

    private int AnswerEmpty(int status)
    {
        _head.StatusCode = status;
        _state = HttpResponseState.HeadersSent;
        Send(ReadOnlySpan<byte>.Empty, hasMore: false);
        return status;
    }

    private static async ValueTask<int> StatusWhenSentAsync(ValueTask<bool> sending, int status)
    {
        await sending;
        return status;
    }

    private ValueTask<bool> SendFileRange(string fullPath, long offset, long count)
    {
        if (_state.CanSetHead())
        {
            // Nothing of the body went out yet: the range is all of it, so its length is known.
            _totalSize = count;
            if (HasBodyByStatus())
            {
                _head.Headers.ContentLength = count;
            }

            _state = HttpResponseState.Streaming;
        }
        else if (_totalSize is long limit && _bytesSent + count > limit)
        {
            throw new InvalidOperationException(
                $"SendFile would send {_bytesSent + count} bytes, more than the total_size of {limit}.");
        }

        if (count == 0)
        {
            if (_totalSize == _bytesSent)
            {
                End();
            }

            return new(_state != HttpResponseState.Aborted);
        }

        if (count <= _files!.InlineReadLimit && _flushing is null)
        {
            return new(SendFileInline(fullPath, offset, count));
        }

        _sendingFile = true;
        _headFlushed = true;
        WatchForAbort();
        return SendFileAsync(fullPath, offset, count, _generation);
    }

    /// <summary>A small range: read synchronously into the body writer, then sent like the bytes of Send/SendChunk.</summary>
    private bool SendFileInline(string fullPath, long offset, long count)
    {
        var writer = _body.Writer;
        try
        {
            using var handle = File.OpenHandle(fullPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            for (var left = count; left > 0;)
            {
                var span = writer.GetSpan((int)Math.Min(left, 16 * 1024));
                span = span[..(int)Math.Min(span.Length, left)];
                var read = RandomAccess.Read(handle, span, offset);
                if (read == 0)
                {
                    throw new IOException($"{fullPath} ended {left} bytes short of the range being sent.");
                }

                writer.Advance(read);
                offset += read;
                left -= read;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The head (and a Content-Length) is committed: a short body can only be an abort.
            _logger.LogDebug(ex, "SendFile of {Path} failed; the response is aborted.", fullPath);
            Abort();
            TryFinish();
            return false;
        }

        _bytesSent += count;
        if (_totalSize == _bytesSent)
        {
            End();
        }
        else
        {
            StartFlush();
        }

        return _state != HttpResponseState.Aborted;
    }

    private async ValueTask<bool> SendFileAsync(string fullPath, long offset, long count, long generation)
    {
        // One writer at a time: let an earlier flush finish first (it may chain another, hence the loop).
        while (_flushing is { } earlier && generation == _generation)
        {
            await earlier;
        }

        if (generation != _generation)
        {
            return false;
        }

        if (_state == HttpResponseState.Aborted)
        {
            _sendingFile = false;
            TryFinish();
            return false;
        }

        var failed = false;
        try
        {
            var aborted = _context!.Features.Get<IHttpRequestLifetimeFeature>()?.RequestAborted ?? default;
            // Started without the actor's context: Kestrel's file send awaits once per block it copies, and each of
            // those awaits would otherwise resume as a message to this actor (16 round trips for a 1 MiB file). Only
            // its end comes back here.
            var context = SynchronizationContext.Current;
            SynchronizationContext.SetSynchronizationContext(null);
            Task sending;
            try
            {
                sending = _body.SendFileAsync(fullPath, offset, count, aborted);
            }
            finally
            {
                SynchronizationContext.SetSynchronizationContext(context);
            }

            _flushing = sending;
            await sending;
        }
        catch (Exception ex)
        {
            // The client went away (or the file vanished under us) once the head was committed: all that is left
            // is to abort, as a failed flush does.
            _logger.LogDebug(ex, "SendFile of {Path} failed; the response is aborted.", fullPath);
            failed = true;
        }

        // Back in the actor.
        if (generation != _generation)
        {
            return false;
        }

        _flushing = null;
        _sendingFile = false;
        if (failed || _state == HttpResponseState.Aborted)
        {
            Abort();
            TryFinish();
            return false;
        }

        _bytesSent += count;
        if (_totalSize == _bytesSent)
        {
            End();
        }
        else
        {
            TryFinish();
        }

        return _state != HttpResponseState.Aborted;
    }
}
