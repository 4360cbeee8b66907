using System.Text;
using ActorSsgi.Dispatch;

namespace ActorSsgi.Http;

/// <summary>
/// The per-request face of <see cref="HttpExchange"/>: <see cref="ISsgiHttpResponse"/> and the request's
/// <see cref="ISsgiHeaders"/>. One small object per request, so that a reference kept past the request's end is
/// detached and can never touch a later request served by the same actor.
/// </summary>
/// <remarks>
/// Calls on the actor's own thread (the handler and its awaits) run at once; calls from other threads are copied
/// into a message and run in the actor, in order.
/// </remarks>
internal sealed partial class SsgiHttpResponse : ISsgiHttpResponse, ISsgiHeaders
{
    private const int Live = 0, Ended = 1, WasAborted = 2;

    private readonly HttpExchange _exchange;
    private readonly long _generation;
    private volatile int _detached;
    private Dictionary<string, object>? _extensions;

    public SsgiHttpResponse(HttpExchange exchange, long generation)
    {
        _exchange = exchange;
        _generation = generation;
    }

    // Outside the actor too: a timer or a thread-pool continuation must see the abort as soon as it happened, not
    // only once the request is finished (which waits for a running entry). Reading the state there is a benign race.
    public bool Aborted => _detached == WasAborted
        || (_detached == Live && _exchange.Generation == _generation && _exchange.State == HttpResponseState.Aborted);

    public IReadOnlyDictionary<string, object>? Extensions => _extensions ??= CreateExtensions();

    private bool InActor => HttpExchange.Current == _exchange && _exchange.Generation == _generation;

    /// <summary>Called by the exchange when the request is finished.</summary>
    internal void Detach(bool aborted) => _detached = aborted ? WasAborted : Ended;

    public void Send(ReadOnlyMemory<byte> payload, bool hasMore = false)
    {
        if (_detached != Live)
        {
            ThrowIfEnded();
            return;
        }

        if (InActor)
        {
            _exchange.Send(payload.Span, hasMore);
            return;
        }

        Post(static (exchange, send) => exchange.Send(send.Copy, send.HasMore), (Copy: payload.ToArray(), HasMore: hasMore));
    }

    public void Send(string? payload, bool hasMore = false)
    {
        if (_detached != Live)
        {
            ThrowIfEnded();
            return;
        }

        if (InActor)
        {
            _exchange.Send(payload, hasMore);
            return;
        }

        Post(static (exchange, send) => exchange.Send(send.Payload, send.HasMore), (Payload: payload, HasMore: hasMore));
    }

    public void Send() => Send(ReadOnlyMemory<byte>.Empty, hasMore: false);

    public ValueTask<SsgiChunkResult> SendChunk(ReadOnlyMemory<byte> chunk, long? totalSize = null)
    {
        if (_detached != Live)
        {
            return _detached == WasAborted ? new(new SsgiChunkResult(false, true)) : throw EndedError();
        }

        if (InActor)
        {
            return _exchange.SendChunk(chunk.Span, totalSize);
        }

        return Marshal(
            static (exchange, send) => exchange.SendChunk(send.Copy, send.TotalSize),
            (Copy: chunk.ToArray(), TotalSize: totalSize),
            static self => self._detached == WasAborted ? new SsgiChunkResult(false, true) : throw EndedError());
    }

    public ValueTask<SsgiChunkResult> SendChunk(string chunk, long? totalSize = null) =>
        SendChunk(Encoding.UTF8.GetBytes(chunk), totalSize);

    public void SendStatus(int statusCode = 200)
    {
        if (_detached != Live)
        {
            ThrowIfEnded();
            return;
        }

        if (statusCode is < 100 or > 599)
        {
            throw new ArgumentOutOfRangeException(nameof(statusCode), statusCode, "An HTTP status code is 100-599 (RFC 9110 defines the classes 1xx to 5xx only).");
        }

        if (InActor)
        {
            _exchange.SendStatus(statusCode);
        }
        else
        {
            Post(static (exchange, status) => exchange.SendStatus(status), statusCode);
        }
    }

    public void SendHeaders(IEnumerable<KeyValuePair<string, string>> headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        if (_detached != Live)
        {
            ThrowIfEnded();
            return;
        }

        if (InActor)
        {
            foreach (var (name, value) in headers)
            {
                _exchange.AddHeader(name, value);
            }
        }
        else
        {
            var copy = headers.ToArray();
            foreach (var (name, _) in copy)
            {
                ArgumentException.ThrowIfNullOrEmpty(name, nameof(headers));
            }

            Post(
                static (exchange, headers) =>
                {
                    foreach (var (name, value) in headers)
                    {
                        exchange.AddHeader(name, value);
                    }
                },
                copy);
        }
    }

    public void SendHeaders(params ReadOnlySpan<(string Name, string Value)> headers)
    {
        if (_detached != Live)
        {
            ThrowIfEnded();
            return;
        }

        if (InActor)
        {
            foreach (var (name, value) in headers)
            {
                _exchange.AddHeader(name, value);
            }
        }
        else
        {
            var copy = new KeyValuePair<string, string>[headers.Length];
            for (var i = 0; i < headers.Length; i++)
            {
                copy[i] = new(headers[i].Name, headers[i].Value);
            }

            SendHeaders(copy);
        }
    }

    public void RunAsync(Func<ISsgiHttpResponse, ValueTask> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (_detached == Live)
        {
            OnActor(static (exchange, run) => exchange.RunAsync(run), handler);
        }
    }

    public void RunAsync<TState>(Func<ISsgiHttpResponse, TState, ValueTask> handler, TState state)
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (_detached == Live)
        {
            OnActor(static (exchange, run) => exchange.RunAsync(response => run.Handler(response, run.State)), (Handler: handler, State: state));
        }
    }

    public ValueTask<ReadOnlyMemory<byte>?> GetData()
    {
        if (_detached != Live)
        {
            return new((ReadOnlyMemory<byte>?)null);
        }

        return InActor ? _exchange.GetData() : Marshal(static (exchange, _) => exchange.GetData(), 0, static _ => null);
    }

    public ValueTask<ReadOnlyMemory<byte>?> GetChunk()
    {
        if (_detached != Live)
        {
            return new((ReadOnlyMemory<byte>?)null);
        }

        return InActor ? _exchange.GetChunk() : Marshal(static (exchange, _) => exchange.GetChunk(), 0, static _ => null);
    }

    public void OnAborted(Action<ISsgiHttpResponse> handler) =>
        SetAbortHandler(new AbortHandler(handler ?? throw new ArgumentNullException(nameof(handler))));

    public void OnAborted<TState>(Action<ISsgiHttpResponse, TState> handler, TState state) =>
        SetAbortHandler(new AbortHandler<TState>(handler ?? throw new ArgumentNullException(nameof(handler)), state));

    public void OnAborted(Func<ISsgiHttpResponse, ValueTask> handler) =>
        SetAbortHandler(new AsyncAbortHandler(handler ?? throw new ArgumentNullException(nameof(handler))));

    public string? GetHeader(string name)
    {
        EnsureHeadersValid();
        return Server.RequestHeaderReader.Get(_exchange.Context.Request.Headers, name);
    }

    public IReadOnlyDictionary<string, string> GetHeaders()
    {
        EnsureHeadersValid();
        return Server.RequestHeaderReader.GetAll(_exchange.Context.Request.Headers);
    }

    private void EnsureHeadersValid()
    {
        if (_detached != Live || !_exchange.HeadersValid || _exchange.Generation != _generation)
        {
            throw Server.RequestHeaderReader.Expired();
        }
    }

    private void SetAbortHandler(IAbortHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (_detached == Live)
        {
            OnActor(static (exchange, onAborted) => exchange.SetAbortHandler(onAborted), handler);
        }
    }

    private Dictionary<string, object> CreateExtensions()
    {
        var extensions = new Dictionary<string, object>(3);
        if (_detached == Live && _exchange.Generation == _generation && _exchange.State != HttpResponseState.Idle)
        {
            var request = _exchange.Context.Request;
            extensions[SsgiExtensionKeys.HttpProtocol] = request.Protocol;
            extensions[SsgiExtensionKeys.Scheme] = request.Scheme;
            if (_exchange.Files is not null)
            {
                // This object itself: the extension costs no allocation, and only requests that ask for extensions
                // build the dictionary at all.
                extensions[SsgiExtensionKeys.FileResponse] = this;
            }
        }

        return extensions;
    }

    // Marshalling of calls made outside the actor. Each re-checks, in the actor, that this request is still the
    // one being served: by then it may have ended.
    // The calls take their arguments as state for static lambdas: a lambda that captured a parameter would make the
    // compiler allocate its closure when the public method starts, on the in-actor path too (Send's was 24 of
    // the 72 bytes a plaintext request allocated; HeaderAllocationSpec keeps the total at the facade's size).
    private void OnActor<TState>(Action<HttpExchange, TState> action, TState state)
    {
        if (InActor)
        {
            action(_exchange, state);
        }
        else
        {
            Post(action, state);
        }
    }

    /// <summary>
    /// Runs a void call in the actor. Its caller is gone by then, so a state error (say, headers after the body
    /// started) cannot be thrown to it: it is logged and the call ignored, rather than crash the request.
    /// </summary>
    private void Post<TState>(Action<HttpExchange, TState> action, TState arguments) => InlineDispatcher.TellDeferred(_exchange.Self, new RunInActor(
        state =>
        {
            var self = (SsgiHttpResponse)state!;
            if (self._detached == Live && self._exchange.Generation == self._generation)
            {
                try
                {
                    action(self._exchange, arguments);
                }
                catch (InvalidOperationException ex)
                {
                    self._exchange.LogIgnoredCall(ex);
                }
            }
        },
        this));

    /// <param name="call">What to run in the actor.</param>
    /// <param name="arguments">The call's arguments.</param>
    /// <param name="whenFinished">The answer when the request has finished before the call reached the actor.</param>
    private ValueTask<T> Marshal<T, TState>(Func<HttpExchange, TState, ValueTask<T>> call, TState arguments, Func<SsgiHttpResponse, T> whenFinished)
    {
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        InlineDispatcher.TellDeferred(_exchange.Self, new RunInActor(
            async state =>
            {
                var self = (SsgiHttpResponse)state!;
                try
                {
                    if (self._detached != Live || self._exchange.Generation != self._generation)
                    {
                        completion.TrySetResult(whenFinished(self));
                        return;
                    }

                    completion.TrySetResult(await call(self._exchange, arguments));
                }
                catch (Exception ex)
                {
                    completion.TrySetException(ex);
                }
            },
            this));
        return new(completion.Task);
    }

    private void ThrowIfEnded()
    {
        if (_detached == Ended)
        {
            throw EndedError();
        }
    }

    private static InvalidOperationException EndedError() =>
        new("The response has already ended; nothing more can be sent.");
}
