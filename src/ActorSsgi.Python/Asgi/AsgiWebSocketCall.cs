using Microsoft.Extensions.Logging;
using Python.Runtime;

namespace ActorSsgi.Python.Asgi;

/// <summary>
/// One ASGI WebSocket session between the session's actor and the Python driver (<c>actorssgi_asgi._WebSocket</c>).
/// Inbound messages and the close come from the actor (on_receive, on_close) and are posted to the loop; the app's
/// sends are called on the loop thread, go to the session through the socket's facade (which marshals them to the
/// actor, in order); what the app awaits (accept, close, a full send window) is resolved through
/// <see cref="EventLoopThread.Post"/>.
/// </summary>
/// <remarks>Public only because Python calls it through pythonnet.</remarks>
public sealed class AsgiWebSocketCall
{
    private const string Crashed = "internal error";

    // Sends the app may have on their way to the session's actor before it waits. Awaiting each one would cost a
    // round trip to the actor and a loop wake-up per message; the session's own outbound limit still applies.
    private const int SendWindow = 16;
    private readonly ISsgiWebSocket _ws;
    private readonly EventLoopThread _loop;
    private readonly PyObject _resolve;
    private readonly ILogger _logger;
    private readonly string _path;
    private readonly int _queueLimit;
    private readonly Lock _gate = new();
    private int _queued;
    private bool _ended;
    private TaskCompletionSource? _paused;
    private int _sendsInFlight;
    private PyObject? _sendsWaiter;

    internal AsgiWebSocketCall(ISsgiWebSocket ws, EventLoopThread loop, PyObject resolve, ILogger logger, string path, int queueLimit)
    {
        _ws = ws;
        _loop = loop;
        _resolve = resolve;
        _logger = logger;
        _path = path;
        _queueLimit = queueLimit;
    }

    /// <summary>Completes once the app accepted, rejected or finished: the entry's task, so headers stay valid until then.</summary>
    internal TaskCompletionSource Decided { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The driver's session object; set on the loop thread before any message is posted to it.</summary>
    internal PyObject? Session { get; set; }

    /// <summary><c>websocket.accept</c>: <paramref name="future"/> gets <c>None</c>, or the error's message.</summary>
    /// <param name="subprotocol">The app's subprotocol, or <c>None</c>.</param>
    /// <param name="future">An asyncio future of the loop.</param>
    public void Accept(string? subprotocol, PyObject future) => _ = AcceptAsync(subprotocol, future);

    /// <summary><c>websocket.close</c> before accept: an HTTP rejection; <paramref name="future"/> gets <c>None</c>.</summary>
    /// <param name="status">The HTTP status (403, as ASGI says).</param>
    /// <param name="future">An asyncio future of the loop.</param>
    public void Reject(int status, PyObject future) => _ = RejectAsync(status, future);

    /// <summary><c>websocket.close</c> after accept; <paramref name="future"/> gets <c>None</c>, or why the code or reason is invalid.</summary>
    /// <param name="code">The close code.</param>
    /// <param name="reason">The reason, or <c>None</c>.</param>
    /// <param name="future">An asyncio future of the loop.</param>
    public void Close(int code, string? reason, PyObject future)
    {
        // Messages still arriving are for nobody: stop pausing the reader, so the client's close answer gets read.
        EndInbound();
        _ = CloseAsync(code, reason, future);
    }

    /// <summary>
    /// <c>websocket.send</c> with <c>text</c>, without waiting: <c>True</c> when <see cref="SendWindow"/> sends are
    /// still on their way to the session, and the app must wait (<see cref="WaitForSends"/>) before the next.
    /// </summary>
    /// <param name="text">The message.</param>
    /// <returns>Whether the app must wait.</returns>
    public bool SendText(string text) => Track(_ws.Send(text));

    /// <summary><c>websocket.send</c> with <c>bytes</c>; see <see cref="SendText"/>.</summary>
    /// <param name="data">A bytes-like object.</param>
    /// <returns>Whether the app must wait.</returns>
    public bool SendBytes(PyObject data) => Track(_ws.Send(ResponseWriting.Copy(data)));

    /// <summary>Resolves <paramref name="future"/> with <c>None</c> once at most half the window is in flight.</summary>
    /// <param name="future">An asyncio future of the loop.</param>
    public void WaitForSends(PyObject future)
    {
        lock (_gate)
        {
            if (_sendsInFlight > SendWindow / 2)
            {
                // One waiter at a time; an app sending from two tasks at once lets the earlier one go on.
                (future, _sendsWaiter) = (_sendsWaiter!, future);
                if (future is null)
                {
                    return;
                }
            }
        }

        ResolveLater(future, null);
    }

    /// <summary>The app took one message from the inbound queue: a paused reader may go on.</summary>
    public void Taken()
    {
        TaskCompletionSource? resume = null;
        lock (_gate)
        {
            _queued--;
            if (_paused is not null && _queued < _queueLimit)
            {
                (resume, _paused) = (_paused, null);
            }
        }

        resume?.TrySetResult();
    }

    /// <summary>The app's coroutine finished; <paramref name="error"/> is its traceback if it raised.</summary>
    /// <param name="error">The formatted Python exception, or <c>null</c>.</param>
    /// <param name="state">The driver's state: <c>connecting</c>, <c>accepted</c>, <c>closing</c>, <c>rejected</c> or <c>disconnected</c>.</param>
    public void Finish(string? error, string state) => _ = FinishAsync(error, state);

    /// <summary>on_receive, in the session's actor: queue the message for the app; wait while the queue is full.</summary>
    internal ValueTask OnMessage(ISsgiWebSocket ws, SsgiMessage message)
    {
        // Copied now: the message's memory is the server's only during this call.
        object payload = message.IsText ? message.Text : message.Data.ToArray();
        TaskCompletionSource? wait = null;
        lock (_gate)
        {
            if (_ended)
            {
                return default;
            }

            if (++_queued >= _queueLimit)
            {
                // Awaited by the server's receive loop, which reads no further frame until it completes: TCP
                // backpressure reaches the client instead of messages piling up here.
                wait = _paused = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        _loop.Post(() =>
        {
            if (Session is not { } session)
            {
                return;
            }

            if (payload is string text)
            {
                using var value = new PyString(text);
                session.InvokeMethod("put_text", value).Dispose();
            }
            else
            {
                using var value = PythonRuntime.ToBytes((byte[])payload);
                session.InvokeMethod("put_bytes", value).Dispose();
            }
        });
        return wait is null ? default : new ValueTask(wait.Task);
    }

    /// <summary>on_close, in the session's actor: <c>websocket.disconnect</c> follows the queued messages.</summary>
    internal void OnClosed(ISsgiWebSocket ws, int code, string? reason)
    {
        EndInbound();
        _loop.Post(() =>
        {
            using var value = new PyInt(code);
            Session?.InvokeMethod("closed", value).Dispose();
        });
    }

    private void EndInbound()
    {
        TaskCompletionSource? resume;
        lock (_gate)
        {
            _ended = true;
            (resume, _paused) = (_paused, null);
        }

        resume?.TrySetResult();
    }

    private async Task AcceptAsync(string? subprotocol, PyObject future)
    {
        string? error = null;
        try
        {
            await _ws.Accept(subprotocol);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
        {
            error = ex.Message;
        }
        finally
        {
            Decided.TrySetResult();
        }

        ResolveLater(future, error);
    }

    private async Task RejectAsync(int status, PyObject future)
    {
        try
        {
            await _ws.Reject(status);
        }
        catch (InvalidOperationException)
        {
            // The session ended first (the client left): nothing to answer.
        }
        finally
        {
            Decided.TrySetResult();
        }

        ResolveLater(future, null);
    }

    private async Task CloseAsync(int code, string? reason, PyObject future)
    {
        string? error = null;
        try
        {
            await _ws.Close(code, reason);
        }
        catch (ArgumentException ex)
        {
            error = ex.Message;
        }

        ResolveLater(future, error);
    }

    private bool Track(ValueTask<SsgiSendStatus> send)
    {
        int inFlight;
        lock (_gate)
        {
            inFlight = ++_sendsInFlight;
        }

        _ = SentAsync(send);
        return inFlight >= SendWindow;
    }

    private async Task SentAsync(ValueTask<SsgiSendStatus> send)
    {
        try
        {
            // What became of it (Sent, Backpressure, Dropped) is the session's business: its limits apply to ASGI too.
            await send;
        }
        finally
        {
            PyObject? waiter = null;
            lock (_gate)
            {
                if (--_sendsInFlight <= SendWindow / 2)
                {
                    (waiter, _sendsWaiter) = (_sendsWaiter, null);
                }
            }

            if (waiter is not null)
            {
                ResolveLater(waiter, null);
            }
        }
    }

    private async Task FinishAsync(string? error, string state)
    {
        try
        {
            switch (state)
            {
                case "connecting" when error is not null:
                    _logger.LogError("The ASGI WebSocket application for {Path} raised before accepting; rejected with 500:{NewLine}{Traceback}", _path, Environment.NewLine, error);
                    await _ws.Reject(500);
                    break;
                case "accepted" or "closing" when error is not null:
                    _logger.LogError("The ASGI WebSocket application for {Path} raised after accepting; closed with 1011:{NewLine}{Traceback}", _path, Environment.NewLine, error);
                    await _ws.Close(1011, Crashed);
                    break;
                case "accepted":
                    // ASGI: the app returning ends the session; say so with a normal close.
                    await _ws.Close();
                    break;
                case "rejected" or "disconnected" when error is not null:
                    _logger.LogError("The ASGI WebSocket application for {Path} raised after its session ended:{NewLine}{Traceback}", _path, Environment.NewLine, error);
                    break;
            }
        }
        catch (InvalidOperationException)
        {
            // The session ended in between (the client left): there is nobody left to tell.
        }
        finally
        {
            // Still pending here means the app returned without deciding: the server rejects with 500 and logs it.
            Decided.TrySetResult();
        }
    }

    private void ResolveLater(PyObject future, string? error) => _loop.Post(() =>
    {
        using var value = error is null ? null : new PyString(error);
        Resolve(future, value);
    });

    // Only on the loop thread, under the GIL (work posted with EventLoopThread.Post).
    private void Resolve(PyObject future, PyObject? value)
    {
        using (future)
        {
            _resolve.Invoke(future, value ?? PyObject.FromManagedObject(null!)).Dispose();
        }
    }
}
