using Python.Runtime;

namespace ActorSsgi.Python.Wsgi;

/// <summary>
/// One WSGI request as the Python driver (<c>actorssgi_wsgi.run</c>) sees it: the members it calls to read the body
/// and write the response. They run on a WSGI thread holding the GIL; every call into the response is marshalled to
/// the request's actor (docs/ssgi-1.0.md §3.13). pythonnet releases the GIL around every call from Python into .NET,
/// so these members wait for the actor without holding it, and take it back (<see cref="Py.GIL"/>) only to touch
/// Python objects.
/// </summary>
/// <remarks>Public only because Python calls it through pythonnet; not meant for .NET callers.</remarks>
public sealed class WsgiCall
{
    private readonly ISsgiHttpResponse _res;
    private long? _totalSize;
    private Task<SsgiChunkResult>? _pendingChunk;

    internal WsgiCall(ISsgiHttpResponse res) => _res = res;

    /// <summary>Completes when the response was handed to the request's actor; faults with the application's error.</summary>
    internal TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary><c>wsgi.input</c>'s source: the next piece of the body as Python <c>bytes</c>, or <c>None</c> at its end.</summary>
    /// <returns>The bytes, or <c>null</c> (Python's <c>None</c>).</returns>
    public PyObject? ReadChunk()
    {
        var pending = _res.GetChunk();
        var chunk = pending.IsCompleted ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
        if (chunk is not { } memory)
        {
            return null;
        }

        using (Py.GIL())
        {
            return PythonRuntime.ToBytes(memory.Span);
        }
    }

    /// <summary>The whole response at once: status, headers (<c>name\0value\0...</c>) and body. Nothing waits.</summary>
    /// <param name="status">The status code.</param>
    /// <param name="headers">The flattened headers.</param>
    /// <param name="body">A bytes-like object.</param>
    public void Respond(int status, string headers, PyObject body) => ResponseWriting.Respond(_res, status, headers, body);

    /// <summary>Starts a streamed response: the first non-empty block is about to follow.</summary>
    /// <param name="status">The status code.</param>
    /// <param name="headers">The flattened headers.</param>
    /// <param name="contentLength">The application's Content-Length, or -1 for a chunked body.</param>
    public void Start(int status, string headers, long contentLength)
    {
        _totalSize = ResponseWriting.Start(_res, status, headers, contentLength);
    }

    /// <summary>
    /// Writes one block with backpressure: it waits (GIL released) for the previous block to be taken by the server,
    /// so one block is in flight while Python produces the next.
    /// </summary>
    /// <param name="data">A bytes-like object.</param>
    /// <returns><c>false</c> once the client went away: the driver stops iterating.</returns>
    public bool Chunk(PyObject data)
    {
        if (!AwaitPendingChunk())
        {
            return false;
        }

        byte[] bytes;
        using (Py.GIL())
        {
            bytes = PythonRuntime.ToArray(data);
        }

        var sent = _res.SendChunk(bytes, _totalSize);
        _pendingChunk = sent.IsCompleted ? null : sent.AsTask();
        return !(sent.IsCompleted && !sent.Result.Sent);
    }

    /// <summary>Ends a streamed response once its last block was taken.</summary>
    public void End()
    {
        if (AwaitPendingChunk() && _totalSize is null)
        {
            _res.Send();
        }
    }

    private bool AwaitPendingChunk()
    {
        if (_pendingChunk is { } pending)
        {
            _pendingChunk = null;
            var result = pending.GetAwaiter().GetResult();
            return result.Sent && !_res.Aborted;
        }

        return !_res.Aborted;
    }
}
