using Python.Runtime;

namespace ActorSsgi.Python.Asgi;

/// <summary>
/// One ASGI HTTP request as the Python driver (<c>actorssgi_asgi._http</c>) sees it. Members are called on the loop
/// thread; response calls are marshalled to the request's actor, and what they return comes back to the loop
/// through <see cref="EventLoopThread.Post"/> to resolve the future the app awaits.
/// </summary>
/// <remarks>Public only because Python calls it through pythonnet.</remarks>
public sealed class AsgiHttpCall
{
    private readonly ISsgiHttpResponse _res;
    private readonly EventLoopThread _loop;
    private readonly PyObject _resolve;
    private long? _totalSize;

    internal AsgiHttpCall(ISsgiHttpResponse res, EventLoopThread loop, PyObject resolve)
    {
        _res = res;
        _loop = loop;
        _resolve = resolve;
    }

    internal TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Resolves <paramref name="future"/> with the next body piece (<c>bytes</c>) or <c>None</c> at the end.</summary>
    /// <param name="future">An asyncio future of the loop.</param>
    public void ReadChunk(PyObject future)
    {
        _ = ReadChunkAsync(future);
    }

    /// <summary>Resolves <paramref name="future"/> with <c>None</c> if the client goes away.</summary>
    /// <param name="future">The request's disconnect future.</param>
    public void WatchAbort(PyObject future) =>
        _res.OnAborted(static (_, state) => state.Self._loop.Post(() => state.Self.Resolve(state.Future, null)), (Self: this, Future: future));

    /// <summary>The whole response at once.</summary>
    /// <param name="status">The status code.</param>
    /// <param name="headers">The flattened headers.</param>
    /// <param name="body">A bytes-like object.</param>
    public void Respond(int status, string headers, PyObject body) => ResponseWriting.Respond(_res, status, headers, body);

    /// <summary>Starts a streamed response.</summary>
    /// <param name="status">The status code.</param>
    /// <param name="headers">The flattened headers.</param>
    /// <param name="contentLength">The app's Content-Length, or -1 for a chunked body.</param>
    public void Start(int status, string headers, long contentLength) =>
        _totalSize = ResponseWriting.Start(_res, status, headers, contentLength);

    /// <summary>Writes one block; <paramref name="future"/> gets <c>True</c> once the server can take more, <c>False</c> if the client left.</summary>
    /// <param name="data">A bytes-like object.</param>
    /// <param name="future">An asyncio future of the loop.</param>
    public void Chunk(PyObject data, PyObject future)
    {
        _ = ChunkAsync(ResponseWriting.Copy(data), future);
    }

    /// <summary>Ends a streamed response.</summary>
    public void End()
    {
        if (_totalSize is null && !_res.Aborted)
        {
            _res.Send();
        }
    }

    /// <summary>The app's coroutine finished; <paramref name="error"/> is its traceback if it raised.</summary>
    /// <param name="error">The formatted Python exception, or <c>null</c>.</param>
    public void Finish(string? error)
    {
        if (error is null)
        {
            Completion.TrySetResult();
        }
        else
        {
            Completion.TrySetException(new PythonApplicationException("The ASGI application raised:" + Environment.NewLine + error));
        }
    }

    private async Task ReadChunkAsync(PyObject future)
    {
        byte[]? copy = null;
        try
        {
            // Copied here: the chunk's memory is only valid until the next read or the response's end.
            copy = await _res.GetChunk() is { } chunk ? chunk.ToArray() : null;
        }
        finally
        {
            _loop.Post(() =>
            {
                using var value = copy is null ? null : PythonRuntime.ToBytes(copy);
                Resolve(future, value);
            });
        }
    }

    private async Task ChunkAsync(byte[] data, PyObject future)
    {
        var sent = false;
        try
        {
            sent = (await _res.SendChunk(data, _totalSize)).Sent && !_res.Aborted;
        }
        finally
        {
            _loop.Post(() => Resolve(future, sent.ToPython()));
        }
    }

    // Only on the loop thread, under the GIL (work posted with EventLoopThread.Post).
    private void Resolve(PyObject future, PyObject? value)
    {
        _resolve.Invoke(future, value ?? PyObject.FromManagedObject(null!)).Dispose();
    }
}
