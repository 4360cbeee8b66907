using ActorSsgi.Python.Asgi;
using Microsoft.Extensions.Logging;
using Python.Runtime;

namespace ActorSsgi.Python.Ssgi;

/// <summary>
/// One HTTP request as the Python <c>ssgi.SSGIHttpResponse</c> (<c>actorssgi_ssgi.HttpResponse</c>) sees it. Members
/// are called on the loop thread (pythonnet releases the GIL around them); response calls are marshalled to the
/// request's actor, and task results come back through <see cref="EventLoopThread.Post"/> to resolve the futures Python awaits.
/// </summary>
/// <remarks>Public only because Python calls it through pythonnet.</remarks>
public sealed class SsgiHttpCall
{
    private readonly ISsgiHttpResponse _res;
    private readonly ISsgiHeaders _headers;
    private readonly PythonSsgiGateway _gateway;
    private PyObject? _python;

    internal SsgiHttpCall(ISsgiHttpResponse res, ISsgiHeaders headers, PythonSsgiGateway gateway)
    {
        _res = res;
        _headers = headers;
        _gateway = gateway;
    }

    internal TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The seed's <c>aborted</c>.</summary>
    public bool Aborted => _res.Aborted;

    /// <summary>Keeps the Python response object, for the abort callback.</summary>
    /// <param name="python">The <c>HttpResponse</c>.</param>
    public void Bind(PyObject python) => _python = python;

    /// <summary><c>get_header(name)</c>; Python checks validity first (the .NET headers outlive a sync handler here).</summary>
    /// <param name="name">The header name.</param>
    /// <returns>The value or <c>null</c>.</returns>
    public string? GetHeader(string name) => _headers.GetHeader(name);

    /// <summary><c>get_header()</c>: every header flattened as <c>name\0value\0…</c> (one string crosses into Python).</summary>
    /// <returns>The flattened headers.</returns>
    public string Headers() => string.Join('\0', _headers.GetHeaders().SelectMany(h => new[] { h.Key, h.Value }));

    // The send calls carry the status and headers Python buffered since the last send (-1 and "" when none): one
    // call into .NET per response instead of three, for the usual send_status, send_headers, send.

    /// <summary><c>send(None, has_more)</c>, after the buffered head.</summary>
    /// <param name="status">The buffered status, or -1.</param>
    /// <param name="flat">The buffered headers, flattened as <c>name\0value\0…</c>, or empty.</param>
    /// <param name="hasMore">Keep the response open.</param>
    public void SendEnd(int status, string flat, bool hasMore)
    {
        SendHead(status, flat);
        if (hasMore)
        {
            _res.Send(ReadOnlyMemory<byte>.Empty, hasMore: true);
        }
        else
        {
            _res.Send();
        }
    }

    /// <summary><c>send(str, has_more)</c>, after the buffered head.</summary>
    /// <param name="status">The buffered status, or -1.</param>
    /// <param name="flat">The buffered headers, or empty.</param>
    /// <param name="payload">The text, sent as UTF-8.</param>
    /// <param name="hasMore">Keep the response open.</param>
    public void SendText(int status, string flat, string payload, bool hasMore)
    {
        SendHead(status, flat);
        _res.Send(payload, hasMore);
    }

    /// <summary><c>send(bytes, has_more)</c>, after the buffered head.</summary>
    /// <param name="status">The buffered status, or -1.</param>
    /// <param name="flat">The buffered headers, or empty.</param>
    /// <param name="payload">A bytes-like object.</param>
    /// <param name="hasMore">Keep the response open.</param>
    public void SendBytes(int status, string flat, PyObject payload, bool hasMore)
    {
        SendHead(status, flat);
        _res.Send(ResponseWriting.Copy(payload), hasMore);
    }

    private void SendHead(int status, string flat)
    {
        if (status >= 0)
        {
            _res.SendStatus(status);
        }

        if (flat.Length > 0)
        {
            _res.SendHeaders(PythonSsgiGateway.Unflatten(flat));
        }
    }

    /// <summary><c>send_chunk</c>: resolves <paramref name="future"/> with <c>(sent, ended)</c>.</summary>
    /// <param name="chunk">A bytes-like object.</param>
    /// <param name="totalSize">The total size, or -1 when unknown.</param>
    /// <param name="future">An asyncio future of the loop.</param>
    /// <param name="status">The buffered status, or -1.</param>
    /// <param name="flat">The buffered headers, or empty.</param>
    public void SendChunk(int status, string flat, PyObject chunk, long totalSize, PyObject future)
    {
        SendHead(status, flat);
        _ = SendChunkAsync(ResponseWriting.Copy(chunk), totalSize < 0 ? null : totalSize, future);
    }

    /// <summary><c>get_data</c>: resolves <paramref name="future"/> with a <c>BytesIO</c> or <c>None</c>.</summary>
    /// <param name="future">An asyncio future of the loop.</param>
    public void GetData(PyObject future)
    {
        _ = ReadAsync(_res.GetData(), future);
    }

    /// <summary><c>get_chunk</c>: resolves <paramref name="future"/> with a <c>BytesIO</c> or <c>None</c>.</summary>
    /// <param name="future">An asyncio future of the loop.</param>
    public void GetChunk(PyObject future)
    {
        _ = ReadAsync(_res.GetChunk(), future);
    }

    /// <summary>The first <c>on_aborted</c>: from now on an abort calls the Python object's <c>_fire_aborted</c> on the loop.</summary>
    public void WatchAborted() =>
        _res.OnAborted(static (_, self) => self._gateway.Loop.Post(() => self._python?.InvokeMethod("_fire_aborted").Dispose()), this);

    /// <summary>The entry (and every <c>run_async</c>) finished; <paramref name="error"/> is the traceback if one raised.</summary>
    /// <param name="error">The formatted Python exception, or <c>null</c>.</param>
    public void Finish(string? error)
    {
        if (error is null)
        {
            Completion.TrySetResult();
        }
        else
        {
            Completion.TrySetException(new PythonApplicationException("The Python ssgi handler raised:" + Environment.NewLine + error));
        }
    }

    /// <summary>A callback failed after the request's entry had finished (an <c>on_aborted</c> handler, say).</summary>
    /// <param name="error">The formatted Python exception.</param>
    public void LogError(string error) => _gateway.Logger.LogError("A Python ssgi callback raised:{NewLine}{Error}", Environment.NewLine, error);

    private async Task SendChunkAsync(byte[] chunk, long? totalSize, PyObject future)
    {
        SsgiChunkResult result = default;
        string? error = null;
        try
        {
            result = await _res.SendChunk(chunk, totalSize);
        }
        catch (InvalidOperationException failure)
        {
            error = failure.Message;
        }

        _gateway.Loop.Post(() =>
        {
            if (error is null)
            {
                _gateway.ResolveChunk.Invoke(future, result.Sent.ToPython(), result.Ended.ToPython()).Dispose();
            }
            else
            {
                _gateway.Fail.Invoke(future, new PyString(error)).Dispose();
            }
        });
    }

    private async Task ReadAsync(ValueTask<ReadOnlyMemory<byte>?> read, PyObject future)
    {
        byte[]? copy = null;
        try
        {
            // Copied here: a chunk's memory is only valid until the next read or the response's end.
            copy = await read is { } data ? data.ToArray() : null;
        }
        finally
        {
            _gateway.Loop.Post(() =>
            {
                using var value = copy is null ? PythonSsgiGateway.None() : PythonRuntime.ToBytes(copy);
                _gateway.ResolveBody.Invoke(future, value).Dispose();
            });
        }
    }
}
