using System.Buffers;
using Microsoft.Extensions.Logging;
using Python.Runtime;

namespace ActorSsgi.Python.Rsgi;

/// <summary>
/// One RSGI HTTP request as the Python protocol object (<c>actorssgi_rsgi.HTTPProtocol</c>) sees it. Members are
/// called on the loop thread with the GIL released; response calls are marshalled to the request's actor, and what
/// they return comes back to the loop through <see cref="EventLoopThread.Post"/> to resolve the future the app awaits.
/// </summary>
/// <remarks>Public only because Python calls it through pythonnet.</remarks>
public sealed class RsgiHttpCall
{
    private const int FileBlockSize = 64 * 1024;
    private readonly ISsgiHttpResponse _res;
    private readonly RsgiGateway _gateway;
    private readonly string _path;
    private long? _totalSize;
    private bool _responded;
    private bool _streaming;
    private Task? _file;

    internal RsgiHttpCall(ISsgiHttpResponse res, RsgiGateway gateway, string path)
    {
        _res = res;
        _gateway = gateway;
        _path = path;
    }

    internal TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>A <c>response_file</c> still being sent when the app returned; the entry waits for it.</summary>
    internal Task? FileTask => _file;

    /// <summary><c>await protocol()</c>: resolves <paramref name="future"/> with the whole body (<c>bytes</c>).</summary>
    /// <param name="future">An asyncio future of the loop.</param>
    public void ReadAll(PyObject future)
    {
        _ = ReadAllAsync(future);
    }

    /// <summary><c>async for</c>: resolves <paramref name="future"/> with the next body piece, or <c>None</c> at the end.</summary>
    /// <param name="future">An asyncio future of the loop.</param>
    public void ReadChunk(PyObject future)
    {
        _ = ReadChunkAsync(future);
    }

    /// <summary><c>client_disconnect()</c>: resolves <paramref name="future"/> with <c>None</c> if the client goes away.</summary>
    /// <param name="future">The future the app awaits.</param>
    public void WatchAbort(PyObject future) =>
        _res.OnAborted(static (_, state) => state.Gateway.Post(() => state.Gateway.Resolve(state.Future, null)), (Gateway: _gateway, Future: future));

    /// <summary><c>response_str</c> and <c>response_empty</c> (<paramref name="body"/> <c>None</c>).</summary>
    /// <param name="status">The status code.</param>
    /// <param name="headers">The flattened headers (<c>name\0value\0...</c>).</param>
    /// <param name="body">The text, sent as UTF-8, or <c>null</c> for no body.</param>
    public void RespondText(int status, string headers, string? body)
    {
        _responded = true;
        _res.SendStatus(status);
        RsgiHeaders.Send(_res, headers);
        if (string.IsNullOrEmpty(body))
        {
            _res.Send();
        }
        else
        {
            _res.Send(body);
        }
    }

    /// <summary><c>response_bytes</c>.</summary>
    /// <param name="status">The status code.</param>
    /// <param name="headers">The flattened headers.</param>
    /// <param name="body">A bytes-like object.</param>
    public void RespondBytes(int status, string headers, PyObject body)
    {
        _responded = true;
        ResponseWriting.Respond(_res, status, headers, body);
    }

    /// <summary><c>response_file</c> (<paramref name="count"/> -1) and <c>response_file_range</c>.</summary>
    /// <param name="status">The status code.</param>
    /// <param name="headers">The flattened headers; their Content-Length is replaced by the bytes sent.</param>
    /// <param name="path">The file, absolute or relative to the process's current directory.</param>
    /// <param name="offset">The first byte.</param>
    /// <param name="count">How many bytes, or -1 for the rest of the file.</param>
    public void RespondFile(int status, string headers, string path, long offset, long count)
    {
        _responded = true;
        _file = SendFileAsync(status, headers, path, offset, count);
    }

    /// <summary><c>response_stream</c>: status and headers; the app's Content-Length, if any, becomes the total size.</summary>
    /// <param name="status">The status code.</param>
    /// <param name="headers">The flattened headers.</param>
    public void Start(int status, string headers)
    {
        _responded = true;
        _streaming = true;
        _res.SendStatus(status);
        _totalSize = RsgiHeaders.Send(_res, headers);
    }

    /// <summary><c>send_bytes</c>; <paramref name="future"/> resolves once the server can take more.</summary>
    /// <param name="data">A bytes-like object.</param>
    /// <param name="future">An asyncio future of the loop.</param>
    public void Chunk(PyObject data, PyObject future)
    {
        _ = ChunkAsync(ResponseWriting.Copy(data), future);
    }

    /// <summary><c>send_str</c>: as <see cref="Chunk"/>, the text as UTF-8.</summary>
    /// <param name="data">The text.</param>
    /// <param name="future">An asyncio future of the loop.</param>
    public void ChunkText(string data, PyObject future)
    {
        _ = ChunkAsync(System.Text.Encoding.UTF8.GetBytes(data ?? ""), future);
    }

    /// <summary>The app's coroutine finished; <paramref name="error"/> is its traceback if it raised.</summary>
    /// <param name="error">The formatted Python exception, or <c>null</c>.</param>
    public void Finish(string? error)
    {
        if (error is not null)
        {
            Completion.TrySetException(new PythonApplicationException("The RSGI application raised:" + Environment.NewLine + error));
            return;
        }

        if (!_responded && !_res.Aborted)
        {
            _gateway.Logger.LogError("The RSGI application returned without a response for {Path}; the server answered 500.", _path);
            _res.SendStatus(500);
            _res.Send();
        }
        else if (_streaming && _totalSize is null && !_res.Aborted)
        {
            _res.Send();
        }

        Completion.TrySetResult();
    }

    private async Task ReadAllAsync(PyObject future)
    {
        byte[]? copy = null;
        try
        {
            copy = await _res.GetData() is { } data ? data.ToArray() : null;
        }
        finally
        {
            _gateway.Post(() =>
            {
                using var value = PythonRuntime.ToBytes(copy ?? []);
                _gateway.Resolve(future, value);
            });
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
            _gateway.Post(() =>
            {
                using var value = copy is null ? null : PythonRuntime.ToBytes(copy);
                _gateway.Resolve(future, value);
            });
        }
    }

    private async Task ChunkAsync(byte[] data, PyObject future)
    {
        var sent = false;
        try
        {
            sent = data.Length == 0 || ((await _res.SendChunk(data, _totalSize)).Sent && !_res.Aborted);
        }
        finally
        {
            _gateway.Post(() =>
            {
                if (sent)
                {
                    _gateway.Resolve(future, null);
                }
                else
                {
                    _gateway.Fail(future, closed: true, "the client disconnected");
                }
            });
        }
    }

    private async Task SendFileAsync(int status, string headers, string path, long offset, long count)
    {
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (Exception error) when (error is FileNotFoundException or DirectoryNotFoundException)
        {
            _gateway.Logger.LogWarning("RSGI response_file: {File} does not exist; answered 404.", path);
            _res.SendStatus(404);
            _res.Send();
            return;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            _gateway.Logger.LogError("RSGI response_file: {File} could not be opened ({Message}); answered 500.", path, error.Message);
            _res.SendStatus(500);
            _res.Send();
            return;
        }

        await using (file)
        {
            var start = Math.Min(offset, file.Length);
            var total = count < 0 ? file.Length - start : Math.Min(count, file.Length - start);
            _res.SendStatus(status);
            RsgiHeaders.Send(_res, headers);
            if (total == 0)
            {
                _res.Send();
                return;
            }

            file.Position = start;
            var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(FileBlockSize, total));
            try
            {
                for (var left = total; left > 0;)
                {
                    var read = await file.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)));
                    if (read == 0)
                    {
                        throw new IOException($"{path} became shorter while it was sent.");
                    }

                    // SendChunk copies the chunk before it returns, so the buffer is reused at once.
                    if (!(await _res.SendChunk(buffer.AsMemory(0, read), total)).Sent)
                    {
                        return;
                    }

                    left -= read;
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }
}
