using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Python.Runtime;

namespace ActorSsgi.Python.Rsgi;

/// <summary>
/// One RSGI WebSocket session as the Python protocol and transport objects see it. Inbound messages wait in a small
/// bounded queue until the app's <c>receive()</c> takes them: while it is full the session's on_receive waits, so a
/// slow app slows its client down through TCP instead of piling messages up.
/// </summary>
/// <remarks>Public only because Python calls it through pythonnet; members run on the loop thread.</remarks>
public sealed class RsgiWebSocketCall
{
    private const int InboxSize = 16;
    private readonly ISsgiWebSocket _ws;
    private readonly RsgiGateway _gateway;
    private readonly string _path;
    private readonly Channel<object> _inbox = Channel.CreateBounded<object>(new BoundedChannelOptions(InboxSize) { SingleReader = true, SingleWriter = true });
    private volatile bool _accepted;
    private volatile bool _answered;
    private volatile bool _ended;

    internal RsgiWebSocketCall(ISsgiWebSocket ws, RsgiGateway gateway, string path)
    {
        _ws = ws;
        _gateway = gateway;
        _path = path;

        // Registered before Accept: the server drops messages that arrive while no on_receive is registered.
        ws.OnReceive((_, message) => _inbox.Writer.WriteAsync(message.IsText ? message.Text : message.Data.ToArray()));
        ws.OnClose(static (_, _, _, self) =>
        {
            self._ended = true;
            self._inbox.Writer.TryComplete();
        }, this);
    }

    internal TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary><c>protocol.accept()</c>: completes the upgrade; <paramref name="future"/> resolves once it is on the wire.</summary>
    /// <param name="future">An asyncio future of the loop.</param>
    public void Accept(PyObject future)
    {
        _answered = true;
        _ = AcceptAsync(future);
    }

    /// <summary><c>protocol.close(status)</c>: before accept a rejection with that HTTP status (403 without one), after it a close frame.</summary>
    /// <param name="status">The app's status or close code, or -1 when it gave none.</param>
    public void Close(int status)
    {
        if (_ended)
        {
            return;
        }

        if (!_answered)
        {
            _answered = true;
            Observe(_ws.Reject(status is >= 200 and <= 599 ? status : 403), "reject");
        }
        else
        {
            _ended = true;
            Observe(_ws.Close(IsSendableCloseCode(status) ? status : 1000), "close");
        }
    }

    /// <summary><c>transport.receive()</c>: the next message (kind 1 bytes, 2 str), or kind 0 once the session closed.</summary>
    /// <param name="future">An asyncio future of the loop.</param>
    public void Receive(PyObject future)
    {
        _ = ReceiveAsync(future);
    }

    /// <summary><c>transport.send_bytes</c>.</summary>
    /// <param name="data">A bytes-like object.</param>
    /// <param name="future">An asyncio future of the loop.</param>
    public void SendBytes(PyObject data, PyObject future)
    {
        _ = SendAsync(_ws.Send(ResponseWriting.Copy(data)), future);
    }

    /// <summary><c>transport.send_str</c>.</summary>
    /// <param name="data">The text.</param>
    /// <param name="future">An asyncio future of the loop.</param>
    public void SendText(string data, PyObject future)
    {
        _ = SendAsync(_ws.Send(data ?? ""), future);
    }

    /// <summary>
    /// The app's coroutine finished. With <paramref name="error"/> the entry fails (500 before accept, 1011 after); a
    /// session left unanswered is rejected with 403, one left open is closed with 1000.
    /// </summary>
    /// <param name="error">The formatted Python exception, or <c>null</c>.</param>
    public void Finish(string? error)
    {
        if (error is not null)
        {
            Completion.TrySetException(new PythonApplicationException("The RSGI application raised:" + Environment.NewLine + error));
            return;
        }

        if (!_answered)
        {
            _gateway.Logger.LogWarning("The RSGI WebSocket application for {Path} returned without accepting; rejected with 403.", _path);
        }

        Close(-1);
        Completion.TrySetResult();
    }

    private static bool IsSendableCloseCode(int code) => code is (>= 1000 and <= 1003) or (>= 1007 and <= 1014) or (>= 3000 and <= 4999);

    private async Task AcceptAsync(PyObject future)
    {
        try
        {
            await _ws.Accept();
            _accepted = true;
            _gateway.Post(() => _gateway.Resolve(future, null));
        }
        catch (Exception error) when (error is InvalidOperationException or OperationCanceledException)
        {
            _gateway.Post(() => _gateway.Fail(future, closed: true, error.Message));
        }
    }

    private async Task ReceiveAsync(PyObject future)
    {
        object? message = null;
        try
        {
            message = await _inbox.Reader.ReadAsync();
        }
        catch (ChannelClosedException)
        {
        }
        finally
        {
            _gateway.Post(() =>
            {
                switch (message)
                {
                    case string text:
                        _gateway.ResolveMessage(future, 2, new PyString(text));
                        break;
                    case byte[] bytes:
                        _gateway.ResolveMessage(future, 1, PythonRuntime.ToBytes(bytes));
                        break;
                    default:
                        _gateway.ResolveMessage(future, 0, null);
                        break;
                }
            });
        }
    }

    private async Task SendAsync(ValueTask<SsgiSendStatus> send, PyObject future)
    {
        var status = SsgiSendStatus.Dropped;
        string? failure = null;
        try
        {
            status = await send;
        }
        catch (InvalidOperationException error)
        {
            failure = error.Message;
        }

        _gateway.Post(() =>
        {
            if (failure is null && status != SsgiSendStatus.Dropped)
            {
                _gateway.Resolve(future, null);
            }
            else if (_ended || !_accepted || failure is not null)
            {
                _gateway.Fail(future, closed: true, failure ?? "the WebSocket is closed");
            }
            else
            {
                _gateway.Fail(future, closed: false, "the message was dropped: the client is too far behind (WebSockets:MaxBackpressure)");
            }
        });
    }

    private void Observe(ValueTask task, string what)
    {
        if (task.IsCompletedSuccessfully)
        {
            return;
        }

        _ = ObserveAsync(task, what);
    }

    private async Task ObserveAsync(ValueTask task, string what)
    {
        try
        {
            await task;
        }
        catch (Exception error) when (error is InvalidOperationException or ArgumentException)
        {
            _gateway.Logger.LogWarning("RSGI WebSocket {What} for {Path} was ignored: {Message}", what, _path, error.Message);
        }
    }
}
