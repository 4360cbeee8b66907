using System.Net.WebSockets;
using System.Text;
using Akka.Actor;

namespace ActorSsgi.WebSockets;

/// <summary>The outbound side: one write in flight, a bounded queue behind it, and the closing handshake.</summary>
internal sealed partial class WebSocketSession
{
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(5);

    private readonly Queue<(ReadOnlyMemory<byte> Data, bool IsText)> _outbound = new();
    private long _queuedBytes;
    private bool _sending;
    private bool _closeQueued;
    private int _closeCode = 1000;
    private string? _closeReason;

    /// <param name="payload">The message.</param>
    /// <param name="isText">Text or binary.</param>
    /// <param name="owned"><c>true</c> when <paramref name="payload"/> is never reused by the caller, so it can be queued without a copy.</param>
    public ValueTask<SsgiSendStatus> Send(ReadOnlyMemory<byte> payload, bool isText, bool owned)
    {
        if (State is SessionState.Pending or SessionState.Rejected)
        {
            throw new InvalidOperationException(State == SessionState.Pending
                ? "Cannot send before the WebSocket upgrade is accepted."
                : "Cannot send: the WebSocket upgrade was rejected.");
        }

        if (State != SessionState.Accepted || _closeQueued)
        {
            return new(SsgiSendStatus.Dropped);
        }

        if (_sending)
        {
            if (_queuedBytes + payload.Length > _options.MaxBackpressure)
            {
                _gateway.Metrics.BackpressureDrop(closing: _options.CloseOnBackpressureLimit);
                if (_options.CloseOnBackpressureLimit)
                {
                    BeginClose(1008, "backpressure limit");
                }

                return new(SsgiSendStatus.Dropped);
            }

            _outbound.Enqueue((owned ? payload : payload.ToArray(), isText));
            _queuedBytes += payload.Length;
            return new(SsgiSendStatus.Backpressure);
        }

        // ManagedWebSocket copies the payload into its send buffer only when its send lock is free (a keep-alive
        // ping or a pong may hold it), so memory the caller may reuse is copied first.
        var send = SendFrame(
            owned ? payload : payload.ToArray(),
            isText ? WebSocketMessageType.Text : WebSocketMessageType.Binary,
            endOfMessage: true,
            CancellationToken.None);
        if (send.IsCompletedSuccessfully)
        {
            return new(SsgiSendStatus.Sent);
        }

        _sending = true;
        _ = AwaitSendAsync(send);
        return new(SsgiSendStatus.Backpressure);
    }

    public ValueTask<SsgiSendStatus> Send(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return Send(bytes, isText: true, owned: true);
    }

    public void Deliver(TopicDelivery delivery)
    {
        if (State == SessionState.Accepted)
        {
            _gateway.Metrics.TopicDelivered();
            _ = Send(delivery.Data, delivery.IsText, owned: true);
        }
    }

    /// <summary>Runs in the actor: when a write completes, the next queued message (or the close) goes out.</summary>
    private async Task AwaitSendAsync(ValueTask send)
    {
        while (true)
        {
            try
            {
                await send;
            }
            catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException)
            {
                _sending = false;
                _outbound.Clear();
                _queuedBytes = 0;
                AbortConnection();
                return;
            }

            if (!_outbound.TryDequeue(out var next))
            {
                _sending = false;
                if (_closeQueued && State == SessionState.Closing)
                {
                    await CloseSocketAsync(_socket!, _closeCode, _closeReason);
                }

                return;
            }

            _queuedBytes -= next.Data.Length;
            send = SendFrame(next.Data, next.IsText ? WebSocketMessageType.Text : WebSocketMessageType.Binary, true, CancellationToken.None);
        }
    }

    public ValueTask Close(int code, string? reason)
    {
        if (State is SessionState.Pending)
        {
            throw new InvalidOperationException("Cannot close before the WebSocket upgrade is accepted; reject it instead.");
        }

        if (!IsValidCloseCode(code))
        {
            throw new ArgumentOutOfRangeException(nameof(code), code, "A close code is 1000-1003, 1007-1014 or 3000-4999.");
        }

        if (reason is not null && Encoding.UTF8.GetByteCount(reason) > 123)
        {
            throw new ArgumentException("A close reason is at most 123 UTF-8 bytes.", nameof(reason));
        }

        BeginClose(code, reason);
        return default;
    }

    /// <summary>Starts the closing handshake once: after the queued messages, then waits for the client's answer.</summary>
    private void BeginClose(int code, string? reason)
    {
        if (State != SessionState.Accepted)
        {
            return;
        }

        State = SessionState.Closing;
        _closeCode = code;
        _closeReason = reason;
        _closeQueued = true;
        Context0Scheduler().ScheduleTellOnce(CloseTimeout, _self, new CloseTimedOut(1), ActorRefs.NoSender);
        if (!_sending)
        {
            _ = CloseSocketAsync(_socket!, code, reason);
        }
    }

    public void OnCloseTimedOut()
    {
        if (State == SessionState.Closing)
        {
            // The client never answered: drop the connection; the receive loop reports the close.
            AbortConnection();
        }
    }

    public void Shutdown() => BeginClose(1001, "server shutting down");

    private async Task CloseSocketAsync(WebSocket socket, int code, string? reason)
    {
        if (State == SessionState.Accepted)
        {
            State = SessionState.Closing;
            _closeCode = code;
            _closeReason = reason;
        }

        try
        {
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await socket.CloseOutputAsync((WebSocketCloseStatus)code, reason, CancellationToken.None);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException)
        {
            socket.Abort();
        }
    }

    /// <summary>
    /// Gives up on the connection: Kestrel's request is aborted too, since aborting the socket alone leaves its
    /// pending read (and the connection) waiting forever (see <see cref="SessionStream"/>).
    /// </summary>
    private void AbortConnection()
    {
        _stream?.AbortRequest();
        _socket?.Abort();
    }

    private ValueTask SendFrame(ReadOnlyMemory<byte> data, WebSocketMessageType type, bool endOfMessage, CancellationToken token)
    {
        _gateway.Metrics.MessageSent(data.Length);
        return _socket!.SendAsync(data, type, endOfMessage, token);
    }

    private static bool IsValidCloseCode(int code) =>
        code is (>= 1000 and <= 1003) or (>= 1007 and <= 1014) or (>= 3000 and <= 4999);

    private IScheduler Context0Scheduler() => _gateway.System.Scheduler;
}
