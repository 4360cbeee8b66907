using Microsoft.Extensions.Logging;
using Python.Runtime;

namespace ActorSsgi.Python.Ssgi;

/// <summary>
/// One WebSocket session as the Python <c>ssgi.SSGIWebSocket</c> (<c>actorssgi_ssgi.WebSocket</c>) sees it. Members
/// are called on the loop thread; session calls are marshalled to the session's actor. Messages and the close reach
/// Python one at a time: the session's callback waits until Python reports <see cref="MessageDone"/> (after an
/// <c>async def</c> callback's task too), which keeps the seed's order and gives backpressure.
/// </summary>
/// <remarks>Public only because Python calls it through pythonnet.</remarks>
public sealed class SsgiSocketCall
{
    private readonly ISsgiWebSocket _ws;
    private readonly ISsgiHeaders _headers;
    private readonly PythonSsgiGateway _gateway;
    private PyObject? _python;
    private TaskCompletionSource? _message;
    private TaskCompletionSource? _close;

    internal SsgiSocketCall(ISsgiWebSocket ws, ISsgiHeaders headers, PythonSsgiGateway gateway)
    {
        _ws = ws;
        _headers = headers;
        _gateway = gateway;
    }

    internal TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The seed's <c>status</c>: 0 pending, 1 rejected, 2 closed, 3 accepted.</summary>
    public int Status => (int)_ws.Status;

    /// <summary>Keeps the Python socket object, for the message and close callbacks.</summary>
    /// <param name="python">The <c>WebSocket</c>.</param>
    public void Bind(PyObject python) => _python = python;

    /// <summary><c>get_header(name)</c>.</summary>
    /// <param name="name">The header name.</param>
    /// <returns>The value or <c>null</c>.</returns>
    public string? GetHeader(string name) => _headers.GetHeader(name);

    /// <summary><c>get_header()</c>, flattened as <c>name\0value\0…</c>.</summary>
    /// <returns>The flattened headers.</returns>
    public string Headers() => string.Join('\0', _headers.GetHeaders().SelectMany(h => new[] { h.Key, h.Value }));

    /// <summary><c>accept(protocol)</c>.</summary>
    /// <param name="protocol">The subprotocol, or <c>null</c>.</param>
    /// <param name="future">Resolved when the handshake is on the wire (an exception if it could not be accepted).</param>
    public void Accept(string? protocol, PyObject future) => _ = Complete(_ws.Accept(protocol), future);

    /// <summary><c>reject(status_code, payload, headers)</c>.</summary>
    /// <param name="statusCode">The status.</param>
    /// <param name="payload">A bytes-like object or <c>None</c>.</param>
    /// <param name="flatHeaders">The headers, flattened.</param>
    /// <param name="future">Resolved when the rejection is written.</param>
    public void Reject(int statusCode, PyObject? payload, string flatHeaders, PyObject future)
    {
        var body = payload is null || payload.IsNone() ? ReadOnlyMemory<byte>.Empty : ResponseWriting.Copy(payload);
        _ = Complete(_ws.Reject(statusCode, body, flatHeaders.Length == 0 ? null : PythonSsgiGateway.Unflatten(flatHeaders)), future);
    }

    /// <summary><c>send(str)</c>: resolves <paramref name="future"/> with 0 sent, 1 backpressure or 2 dropped.</summary>
    /// <param name="payload">The text.</param>
    /// <param name="future">An asyncio future of the loop.</param>
    public void SendText(string payload, PyObject future) => _ = Sent(_ws.Send(payload), future);

    /// <summary><c>send(bytes)</c>.</summary>
    /// <param name="payload">A bytes-like object.</param>
    /// <param name="future">An asyncio future of the loop.</param>
    public void SendBytes(PyObject payload, PyObject future) => _ = Sent(_ws.Send(ResponseWriting.Copy(payload)), future);

    /// <summary><c>close(code, reason)</c>.</summary>
    /// <param name="code">The close code.</param>
    /// <param name="reason">The reason, or <c>null</c>.</param>
    public void Close(int code, string? reason) => _ = _ws.Close(code, reason);

    /// <summary>Python finished with the current message; <paramref name="error"/> is the traceback if its callback raised.</summary>
    /// <param name="error">The formatted exception, or <c>null</c>.</param>
    public void MessageDone(string? error) => Report(_message, error, "on_receive");

    /// <summary>Python finished <c>on_close</c>.</summary>
    /// <param name="error">The formatted exception, or <c>null</c>.</param>
    public void CloseDone(string? error) => Report(_close, error, "on_close");

    /// <summary>The entry (and every <c>run_async</c>) finished.</summary>
    /// <param name="error">The formatted exception, or <c>null</c>.</param>
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

    /// <summary>A callback failed after the entry finished.</summary>
    /// <param name="error">The formatted exception.</param>
    public void LogError(string error) => _gateway.Logger.LogError("A Python ssgi callback raised:{NewLine}{Error}", Environment.NewLine, error);

    // In the session's actor, one message at a time: the next one waits for this task.
    internal Task Receive(SsgiMessage message)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _message = done;
        var text = message.IsText ? message.Text : null;
        var data = message.IsText ? null : message.Data.ToArray();
        _gateway.Loop.Post(() =>
        {
            using var value = text is not null ? new PyString(text) : PythonRuntime.ToBytes(data!);
            _python!.InvokeMethod("_message", value).Dispose();
        });
        return done.Task;
    }

    internal Task Closed(int code, string? reason)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _close = done;
        _gateway.Loop.Post(() =>
        {
            using var pyCode = new PyInt(code);
            using var pyReason = reason is null ? PythonSsgiGateway.None() : new PyString(reason);
            _python!.InvokeMethod("_closed", pyCode, pyReason).Dispose();
        });
        return done.Task;
    }

    private static void Report(TaskCompletionSource? done, string? error, string callback)
    {
        if (error is null)
        {
            done?.TrySetResult();
        }
        else
        {
            done?.TrySetException(new PythonApplicationException($"The Python {callback} callback raised:" + Environment.NewLine + error));
        }
    }

    private async Task Complete(ValueTask operation, PyObject future)
    {
        string? error = null;
        try
        {
            await operation;
        }
        catch (InvalidOperationException failure)
        {
            error = failure.Message;
        }

        _gateway.Loop.Post(() =>
        {
            if (error is null)
            {
                _gateway.Resolve.Invoke(future, PythonSsgiGateway.None()).Dispose();
            }
            else
            {
                _gateway.Fail.Invoke(future, new PyString(error)).Dispose();
            }
        });
    }

    private async Task Sent(ValueTask<SsgiSendStatus> send, PyObject future)
    {
        var status = SsgiSendStatus.Dropped;
        try
        {
            status = await send;
        }
        finally
        {
            _gateway.Loop.Post(() => _gateway.Resolve.Invoke(future, new PyInt((int)status)).Dispose());
        }
    }
}
