using System.Collections.Concurrent;
using ActorSsgi.Hosting;
using ActorSsgi.Http;
using ActorSsgi.Server;
using ActorSsgi.Topics;
using Akka.Actor;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace ActorSsgi.WebSockets;

/// <summary>
/// Kestrel's way into WebSocket sessions: recognises upgrades, answers the ones it cannot serve with a status
/// and a reason, and gives every accepted upgrade request its own <see cref="WebSocketSessionActor"/>.
/// </summary>
internal sealed class WebSocketGateway : IWebSocketUpgrade
{
    private readonly ActorCell _supervisor;
    private readonly Props _props;
    private readonly ConcurrentDictionary<IActorRef, byte> _sessions = new();
    private readonly ILogger _logger;
    private int _count;

    private WebSocketGateway(ActorSystem system, ActorCell supervisor, SsgiHandler<ISsgiWebSocket>? handler, SsgiWebSocketOptions options, ITopicBroker topics, ILogger logger, string dispatcher)
    {
        System = system;
        Handler = handler!;
        HasHandler = handler is not null;
        Options = options;
        Topics = topics;
        _logger = logger;
        _supervisor = supervisor;
        _props = WebSocketSessionActor.Props(this, logger, dispatcher);
    }

    public ActorSystem System { get; }

    public SsgiHandler<ISsgiWebSocket> Handler { get; }

    public bool HasHandler { get; }

    public SsgiWebSocketOptions Options { get; }

    public ITopicBroker Topics { get; }

    /// <summary>Topic messages for code (<see cref="ISsgiTopicFeed"/>), made on first use: most servers never listen.</summary>
    public ISsgiTopicFeed Feed => LazyInitializer.EnsureInitialized(ref _feed, () => new TopicFeed(System, Topics));

    private ISsgiTopicFeed? _feed;

    /// <summary>Where session keys live; the server sets the cluster's directory before any session starts.</summary>
    public Sessions.ISessionDirectory Sessions { get; set; } = new Sessions.LocalSessionDirectory();

    /// <summary>Open sessions (accepted or still pending).</summary>
    public int Count => Volatile.Read(ref _count);

    public static async Task<WebSocketGateway> CreateAsync(ActorSystem system, SsgiGateway gateway, SsgiWebSocketOptions options, ITopicBroker topics, ILogger logger, string dispatcher, string serverHeader = "", Telemetry.ActorSsgiMetrics? metrics = null)
    {
        metrics ??= Telemetry.ActorSsgiMetrics.Shared;
        var supervisor = await Dispatch.Supervisors.StartAsync(system, SessionSupervisor.Props(logger, metrics), "ssgi-websockets").ConfigureAwait(false);
        return new WebSocketGateway(system, supervisor, gateway.WebSockets, options, topics, logger, dispatcher) { ServerHeader = serverHeader, Metrics = metrics };
    }

    /// <summary>Where sessions count their messages, bytes and drops.</summary>
    public Telemetry.ActorSsgiMetrics Metrics { get; private init; } = Telemetry.ActorSsgiMetrics.Shared;

    public bool IsUpgrade(SsgiRequestContext context) => WebSocketHandshake.IsWebSocketRequest(context);

    public Task HandleAsync(SsgiRequestContext context)
    {
        if (!HasHandler)
        {
            return Refuse(context, 400, "this server does not serve WebSockets");
        }

        var handshake = WebSocketHandshake.Validate(context);
        if (!handshake.IsValid)
        {
            return Refuse(context, handshake.Status, handshake.Reason!);
        }

        if (Interlocked.Increment(ref _count) > Options.MaxSessions)
        {
            Interlocked.Decrement(ref _count);
            return Refuse(context, 503, "too many WebSocket sessions");
        }

        var completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var session = _supervisor.AttachChild(_props, isSystemService: false, name: null);
        _sessions.TryAdd(session, 0);
        session.Tell(new StartSession(context, completion, handshake), ActorRefs.NoSender);
        return completion.Task;
    }

    public void SessionEnded(IActorRef session)
    {
        if (_sessions.TryRemove(session, out _))
        {
            Interlocked.Decrement(ref _count);
        }
    }

    /// <summary>Asks every session to close with 1001; used on shutdown before Kestrel drains.</summary>
    public void CloseAll()
    {
        _logger.LogInformation("Closing {Count} WebSocket sessions with 1001", _sessions.Count);
        foreach (var session in _sessions.Keys)
        {
            session.Tell(ShutdownSession.Instance, ActorRefs.NoSender);
        }
    }

    /// <summary>The configured Server header, on every answer a session gives (101, rejections).</summary>
    public void AddServerHeader(IHttpResponseFeature response)
    {
        if (ServerHeader.Length > 0)
        {
            response.Headers.Server = ServerHeader;
        }
    }

    /// <summary>The value of the Server header; empty for none.</summary>
    public string ServerHeader { get; init; } = "";

    private Task Refuse(SsgiRequestContext context, int status, string reason)
    {
        var response = context.Response;
        AddServerHeader(response);
        response.StatusCode = status;
        if (status == 426)
        {
            response.Headers.SecWebSocketVersion = "13";
        }

        var body = global::System.Text.Encoding.UTF8.GetBytes(reason);
        response.Headers.ContentType = "text/plain";
        response.Headers.ContentLength = body.Length;
        var writer = context.Body.Writer;
        body.CopyTo(writer.GetSpan(body.Length));
        writer.Advance(body.Length);
        return Task.CompletedTask;
    }
}
