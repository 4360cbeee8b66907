using System.Text;
using ActorSsgi.Dispatch;
using ActorSsgi.Server;

namespace ActorSsgi.WebSockets;

/// <summary>
/// The user-facing <see cref="ISsgiWebSocket"/> (and the upgrade request's <see cref="ISsgiHeaders"/>) of one
/// session. Calls on the session's own actor run at once; calls from other threads are copied into a message and
/// run in the actor, in order. After the session ended, sends return Dropped and closes do nothing.
/// </summary>
internal sealed class SsgiWebSocket : ISsgiWebSocket, ISsgiHeaders
{
    private readonly WebSocketSession _session;
    private volatile bool _detached;
    private Dictionary<string, object>? _extensions;

    // Calls from other threads that wait in the actor's mailbox, each with what it returns if the session ends
    // first: a stopped actor's mailbox goes to dead letters, and a caller must never wait forever.
    private readonly Lock _pendingLock = new();
    private Dictionary<object, Action>? _pending;

    public SsgiWebSocket(WebSocketSession session) => _session = session;

    public SsgiWebSocketStatus Status => _detached && _session.State == SessionState.Pending ? SsgiWebSocketStatus.Closed : _session.State.ToSsgi();

    public IReadOnlyDictionary<string, object>? Extensions => _extensions ??= new Dictionary<string, object>(3)
    {
        [SsgiExtensionKeys.Topics] = new MarshalledTopics(this),
        [SsgiExtensionKeys.TopicFeed] = _session.Feed,
        [SsgiExtensionKeys.Sessions] = _session.Keys,
    };

    private bool InActor => WebSocketSession.Current == _session;

    /// <summary>The session ended: later calls return at once, and calls still queued for the actor are answered now.</summary>
    internal void Detach()
    {
        _detached = true;
        Action[] ends;
        lock (_pendingLock)
        {
            if (_pending is not { Count: > 0 })
            {
                return;
            }

            ends = [.. _pending.Values];
            _pending.Clear();
        }

        foreach (var end in ends)
        {
            end();
        }
    }

    public ValueTask Accept(string? protocol = null)
    {
        ThrowIfDetached("accept");
        return InActor
            ? _session.Accept(protocol)
            : Marshal(static async (session, protocol) => { await session.Accept(protocol); return true; }, protocol, Ended<bool>("accept")).AsValueTask();
    }

    public ValueTask Reject(int statusCode = 403, ReadOnlyMemory<byte> payload = default, IEnumerable<KeyValuePair<string, string>>? headers = null)
    {
        ThrowIfDetached("reject");
        if (InActor)
        {
            return _session.Reject(statusCode, payload, headers);
        }

        return Marshal(
            static async (session, reject) => { await session.Reject(reject.StatusCode, reject.Payload, reject.Headers); return true; },
            (StatusCode: statusCode, Payload: payload.ToArray(), Headers: headers?.ToArray()),
            Ended<bool>("reject")).AsValueTask();
    }

    public ValueTask<SsgiSendStatus> Send(ReadOnlyMemory<byte> payload)
    {
        if (_detached)
        {
            return new(SsgiSendStatus.Dropped);
        }

        if (InActor)
        {
            return _session.Send(payload, isText: false, owned: false);
        }

        return Marshal(static (session, copy) => session.Send(copy, isText: false, owned: true), payload.ToArray(), DroppedWhenEnded);
    }

    public ValueTask<SsgiSendStatus> Send(string payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        if (_detached)
        {
            return new(SsgiSendStatus.Dropped);
        }

        return InActor ? _session.Send(payload) : Marshal(static (session, text) => session.Send(text), payload, DroppedWhenEnded);
    }

    public ValueTask Close(int code = 1000, string? reason = null)
    {
        if (_detached)
        {
            return default;
        }

        return InActor
            ? _session.Close(code, reason)
            : Marshal(
                static async (session, close) => { await session.Close(close.Code, close.Reason); return true; },
                (Code: code, Reason: reason),
                static c => c.TrySetResult(true)).AsValueTask();
    }

    public void RunAsync(Func<ISsgiWebSocket, ValueTask> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        OnActor(static (session, run) => session.RunAsync(run), handler);
    }

    public void RunAsync<TState>(Func<ISsgiWebSocket, TState, ValueTask> handler, TState state)
    {
        ArgumentNullException.ThrowIfNull(handler);
        OnActor(static (session, run) => session.RunAsync(socket => run.Handler(socket, run.State)), (Handler: handler, State: state));
    }

    public void OnReceive(Action<ISsgiWebSocket, SsgiMessage> handler) =>
        SetReceive(new ReceiveHandler(handler ?? throw new ArgumentNullException(nameof(handler))));

    public void OnReceive<TState>(Action<ISsgiWebSocket, SsgiMessage, TState> handler, TState state) =>
        SetReceive(new ReceiveHandler<TState>(handler ?? throw new ArgumentNullException(nameof(handler)), state));

    public void OnReceive(Func<ISsgiWebSocket, SsgiMessage, ValueTask> handler) =>
        SetReceive(new AsyncReceiveHandler(handler ?? throw new ArgumentNullException(nameof(handler))));

    public void OnClose(Action<ISsgiWebSocket, int, string?> handler) =>
        SetClose(new CloseHandler(handler ?? throw new ArgumentNullException(nameof(handler))));

    public void OnClose<TState>(Action<ISsgiWebSocket, int, string?, TState> handler, TState state) =>
        SetClose(new CloseHandler<TState>(handler ?? throw new ArgumentNullException(nameof(handler)), state));

    public void OnClose(Func<ISsgiWebSocket, int, string?, ValueTask> handler) =>
        SetClose(new AsyncCloseHandler(handler ?? throw new ArgumentNullException(nameof(handler))));

    private void SetReceive(IReceiveHandler handler) => OnActor(static (s, h) => s.SetReceiveHandler(h), handler);

    private void SetClose(ICloseHandler handler) => OnActor(static (s, h) => s.SetCloseHandler(h), handler);

    private void ThrowIfDetached(string what)
    {
        if (_detached)
        {
            throw new InvalidOperationException($"Cannot {what}: the session has ended.");
        }
    }

    public string? GetHeader(string name)
    {
        EnsureHeaders();
        return RequestHeaderReader.Get(_session.Context.Request.Headers, name);
    }

    public IReadOnlyDictionary<string, string> GetHeaders()
    {
        EnsureHeaders();
        return RequestHeaderReader.GetAll(_session.Context.Request.Headers);
    }

    private void EnsureHeaders()
    {
        if (_detached || !_session.HeadersValid)
        {
            throw RequestHeaderReader.Expired();
        }
    }

    // Calls take their arguments as state for static lambdas: a lambda that captured a parameter would make the
    // compiler allocate its closure when the public method starts, on the in-actor path too.
    internal void OnActor<TState>(Action<WebSocketSession, TState> action, TState arguments)
    {
        ArgumentNullException.ThrowIfNull(action);
        if (_detached)
        {
            return;
        }

        if (InActor)
        {
            action(_session, arguments);
            return;
        }

        InlineDispatcher.TellDeferred(_session.Self, new RunInActor(
            state =>
            {
                var self = (SsgiWebSocket)state!;
                if (!self._detached)
                {
                    action(self._session, arguments);
                }
            },
            this));
    }

    private static readonly Action<TaskCompletionSource<SsgiSendStatus>> DroppedWhenEnded = static c => c.TrySetResult(SsgiSendStatus.Dropped);

    private static Action<TaskCompletionSource<T>> Ended<T>(string what) =>
        c => c.TrySetException(new InvalidOperationException($"Cannot {what}: the session has ended."));

    /// <summary>
    /// Runs <paramref name="call"/> with <paramref name="arguments"/> in the actor. If the session ends before the
    /// call ran (the actor stopped with it still in the mailbox), <paramref name="ended"/> answers it: what the same
    /// call would get after the end.
    /// </summary>
    private ValueTask<T> Marshal<T, TState>(Func<WebSocketSession, TState, ValueTask<T>> call, TState arguments, Action<TaskCompletionSource<T>> ended)
    {
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_pendingLock)
        {
            (_pending ??= []).Add(completion, () => ended(completion));
        }

        // Registered first, checked second: Detach sets the flag first and drains second, so no call slips between.
        if (_detached)
        {
            Forget(completion);
            ended(completion);
            return new(completion.Task);
        }

        InlineDispatcher.TellDeferred(_session.Self, new RunInActor(
            async state =>
            {
                var self = (SsgiWebSocket)state!;
                try
                {
                    completion.TrySetResult(await call(self._session, arguments));
                }
                catch (Exception ex)
                {
                    completion.TrySetException(ex);
                }
                finally
                {
                    self.Forget(completion);
                }
            },
            this));
        return new(completion.Task);
    }

    private void Forget(object completion)
    {
        lock (_pendingLock)
        {
            _pending?.Remove(completion);
        }
    }

    /// <summary>Topics as seen through the facade: calls from other threads are marshalled like every other.</summary>
    private sealed class MarshalledTopics(SsgiWebSocket socket) : ISsgiTopics
    {
        public void Subscribe(string topic)
        {
            ArgumentException.ThrowIfNullOrEmpty(topic);
            socket.OnActor(static (s, t) => s.Topics.Subscribe(t), topic);
        }

        public void Unsubscribe(string topic)
        {
            ArgumentException.ThrowIfNullOrEmpty(topic);
            socket.OnActor(static (s, t) => s.Topics.Unsubscribe(t), topic);
        }

        public bool IsSubscribed(string topic) => socket.InActor
            ? socket._session.Topics.IsSubscribed(topic)
            : throw new InvalidOperationException("IsSubscribed can be asked only from the session's own handlers.");

        public void Publish(string topic, SsgiMessage message)
        {
            // Publishing needs no session state: any thread may do it directly.
            ArgumentException.ThrowIfNullOrEmpty(topic);
            var delivery = new TopicDelivery(message.Data.ToArray(), message.IsText);
            socket._session.PublishRaw(topic, delivery);
        }
    }
}

internal static class ValueTaskExtensions
{
    public static ValueTask AsValueTask<T>(this ValueTask<T> task) =>
        task.IsCompletedSuccessfully ? default : new ValueTask(task.AsTask());
}
