using Microsoft.AspNetCore.Http;
using System.Net.WebSockets;
using ActorSsgi.Hosting;
using ActorSsgi.Server;
using ActorSsgi.Topics;
using Akka.Actor;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace ActorSsgi.WebSockets;

/// <summary>
/// The state of one WebSocket session: handshake, receive loop, outbound queue, close. Owned by one
/// <see cref="WebSocketSessionActor"/>; everything here runs inside that actor, one message at a time.
/// </summary>
internal sealed partial class WebSocketSession
{
    /// <summary>The session whose actor is processing a message on this thread, if any.</summary>
    [ThreadStatic]
    internal static WebSocketSession? Current;

    private readonly IActorRef _self;
    private readonly Dispatch.ResumeInActor _receiveResume;
    private readonly WebSocketGateway _gateway;
    private readonly SsgiWebSocketOptions _options;
    private readonly ILogger _logger;

    private SsgiRequestContext? _context;
    private TaskCompletionSource? _completion;
    private SsgiWebSocket? _facade;
    private WebSocket? _socket;
    private SessionStream? _stream;
    private SessionTopics? _topics;
    private Sessions.SessionKeys? _keys;
    private bool _entryRunning;
    private bool _headersExpired;
    private int _runAsyncPending;
    private IReceiveHandler? _onReceive;
    private MaskCheckingStream? _unmaskedCheck;
    private HandshakeResult _handshake;
    private ICloseHandler? _onClose;

    // For the access log and the session's span: plain counters, read once when the session ends.
    private int _endedWith;
    private long _messagesReceived;
    private long _messagesSent;

    public WebSocketSession(IActorRef self, WebSocketGateway gateway, ILogger logger)
    {
        _self = self;
        _receiveResume = new Dispatch.ResumeInActor(self);
        _gateway = gateway;
        _options = gateway.Options;
        _logger = logger;
    }

    public IActorRef Self => _self;

    public SessionState State { get; private set; }

    public bool HeadersValid => _context is not null && !_headersExpired;

    public SsgiRequestContext Context => _context ?? throw new InvalidOperationException("The session has no request.");

    public SessionTopics Topics => _topics ??= new SessionTopics(_gateway.Topics, _self);

    /// <summary>This session's keys (thread-safe itself; created once even when first asked from another thread).</summary>
    /// <summary>The server's topic feed.</summary>
    public ISsgiTopicFeed Feed => _gateway.Feed;

    public Sessions.SessionKeys Keys => LazyInitializer.EnsureInitialized(ref _keys, () => new Sessions.SessionKeys(_gateway.Sessions, _self));

    public void Start(StartSession start)
    {
        _context = start.Context;
        _completion = start.Completion;
        _handshake = start.Handshake;
        State = SessionState.Pending;
        var facade = _facade = new SsgiWebSocket(this);
        var request = _context.Request;
        var query = request.QueryString;
        _entryRunning = true;
        var task = _gateway.Handler(
            SsgiType.WebSocket,
            _context.ServerAddress,
            _context.RemoteAddress,
            request.Method,
            request.Path,
            query.Length > 1 ? query.Substring(1) : "",
            facade,
            facade);
        Observe(task, isEntry: true);
    }

    public void PublishRaw(string topic, TopicDelivery delivery) => _gateway.Topics.Publish(topic, delivery);

    public void SetReceiveHandler(IReceiveHandler handler) => _onReceive = handler;

    public void SetCloseHandler(ICloseHandler handler) => _onClose = handler;

    /// <summary>Runs a handler's task to its end in the actor; an exception goes to the supervisor.</summary>
    private void Observe(ValueTask task, bool isEntry)
    {
        if (task.IsCompletedSuccessfully)
        {
            OnHandlerCompleted(new SessionHandlerCompleted(isEntry, null));
            return;
        }

        if (task.IsFaulted || task.IsCanceled)
        {
            task.GetAwaiter().GetResult();
        }

        _ = Dispatch.HandlerTasks.ReportWhenDone(task, _self, isEntry, static (entry, error) => new SessionHandlerCompleted(entry, error));
    }


    public void OnHandlerCompleted(SessionHandlerCompleted completed)
    {
        if (completed.Error is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(completed.Error);
        }

        if (completed.IsEntry)
        {
            _entryRunning = false;
            _headersExpired = true;
        }
        else
        {
            _runAsyncPending--;
        }

        if (State == SessionState.Pending && !_entryRunning && _runAsyncPending == 0)
        {
            _logger.LogError("The SSGI WebSocket handler for {Path} returned without accepting or rejecting; the server rejected it with 500.", _context?.Request.Path);
            RejectNow(500, default, null);
        }
    }

    public void RunAsync(Func<SsgiWebSocket, ValueTask> run)
    {
        _headersExpired = true;
        _runAsyncPending++;
        var facade = _facade!;
        SynchronizationContext.Current!.Post(_ => Observe(run(facade), isEntry: false), null);
    }

    public async ValueTask Accept(string? protocol)
    {
        EnsurePending("accept");
        var features = Context.Features;
        var headers = Context.Request.Headers;
        var offered = WebSocketHandshake.OfferedProtocols(headers);
        protocol ??= offered.Length > 0 ? offered[0] : null;
        if (protocol is not null && !offered.Contains(protocol, StringComparer.Ordinal))
        {
            throw new InvalidOperationException($"Cannot accept subprotocol '{protocol}': the client offered only [{string.Join(", ", offered)}].");
        }

        var handshake = _handshake;
        var (deflate, deflateResponse) = WebSocketHandshake.NegotiateDeflate(headers, _options.Compression);
        State = SessionState.Accepted;
        _headersExpired = true;

        var response = Context.Response;
        _gateway.AddServerHeader(response);
        if (protocol is not null)
        {
            response.Headers.SecWebSocketProtocol = protocol;
        }

        if (deflateResponse is not null)
        {
            response.Headers.SecWebSocketExtensions = deflateResponse;
        }

        Stream stream;
        if (handshake.IsHttp2)
        {
            stream = await features.GetRequiredFeature<IHttpExtendedConnectFeature>().AcceptAsync();
        }
        else
        {
            response.StatusCode = 101;
            response.Headers.Connection = "Upgrade";
            response.Headers.Upgrade = "websocket";
            response.Headers.SecWebSocketAccept = WebSocketHandshake.AcceptKey(handshake.Key!);
            // IsWebSocketRequest admitted this request only with an upgradable HTTP/1.1 upgrade feature.
            stream = await Context.Upgrade!.UpgradeAsync();
        }

        // Wrapped so that a socket that gives up (keep-alive timeout, Abort) really ends the connection.
        stream = _stream = new SessionStream(stream, features.Get<IHttpRequestLifetimeFeature>());
        // RFC 8441 keeps RFC 6455 framing, masking included, so HTTP/2 sessions get the same check.
        _unmaskedCheck = new MaskCheckingStream(stream);
        _socket = WebSocket.CreateFromStream(_unmaskedCheck ?? stream, new WebSocketCreationOptions
        {
            IsServer = true,
            SubProtocol = protocol,
            KeepAliveInterval = _options.KeepAliveInterval,
            KeepAliveTimeout = _options.KeepAliveInterval > TimeSpan.Zero && _options.IdleTimeout > TimeSpan.Zero ? _options.IdleTimeout : Timeout.InfiniteTimeSpan,
            DangerousDeflateOptions = deflate,
        });
        _stream.Socket = _socket;
        _gateway.Metrics.SessionOpened();

        if (State == SessionState.Accepted)
        {
            _ = ReceiveLoopAsync(_socket);
        }
    }

    public ValueTask Reject(int statusCode, ReadOnlyMemory<byte> payload, IEnumerable<KeyValuePair<string, string>>? headers)
    {
        EnsurePending("reject");
        if (statusCode is < 100 or > 599 || statusCode == 101)
        {
            throw new ArgumentOutOfRangeException(nameof(statusCode), statusCode, "A rejection is an HTTP status from 100 to 599, not 101.");
        }

        RejectNow(statusCode, payload, headers);
        return default;
    }

    private void RejectNow(int statusCode, ReadOnlyMemory<byte> payload, IEnumerable<KeyValuePair<string, string>>? headers)
    {
        State = SessionState.Rejected;
        _headersExpired = true;
        var response = Context.Response;
        _gateway.AddServerHeader(response);
        response.StatusCode = statusCode;
        if (headers is not null)
        {
            foreach (var (name, value) in headers)
            {
                response.Headers.Append(name, value);
            }
        }

        response.Headers.ContentLength = payload.Length;
        if (!payload.IsEmpty)
        {
            var writer = Context.Body.Writer;
            payload.Span.CopyTo(writer.GetSpan(payload.Length));
            writer.Advance(payload.Length);
        }

        // Kestrel completes (and flushes) the response when the request task completes.
        End();
    }

    private void EnsurePending(string what)
    {
        if (State != SessionState.Pending)
        {
            throw new InvalidOperationException($"Cannot {what}: the upgrade was already {(State == SessionState.Rejected ? "rejected" : "accepted")}.");
        }
    }
}
