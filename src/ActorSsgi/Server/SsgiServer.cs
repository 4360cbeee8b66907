using ActorSsgi.Hosting;
using ActorSsgi.Http;
using ActorSsgi.Topics;
using ActorSsgi.WebSockets;
using Akka.Actor;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace ActorSsgi.Server;

/// <summary>
/// One running ActorSsgi server: Kestrel, the negotiated gateway, and the actors that own requests and sessions.
/// </summary>
internal sealed class SsgiServer
{
    /// <summary>The dispatcher request and session actors run on (see akka.hocon).</summary>
    public const string DispatcherId = "actorssgi.request-dispatcher";

    private readonly ActorSystem _system;
    private readonly ActorSsgiOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private KestrelServer? _kestrel;
    private KestrelTransport? _transport;

    public SsgiServer(ActorSystem system, ActorSsgiOptions options, ISsgiFramework framework, ILoggerFactory loggerFactory, IEnumerable<Interfaces.SsgiInterface>? interfaces = null)
    {
        _system = system;
        _options = options;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger("ActorSsgi.Server");
        Gateway = SsgiGateway.Negotiate(framework, interfaces ?? [], _logger);
    }

    public SsgiGateway Gateway { get; }

    public RequestActorPool Pool { get; private set; } = null!;

    public WebSocketGateway? WebSockets { get; private set; }

    /// <summary>Where topic subscriptions live; the cluster package replaces it before start.</summary>
    public ITopicBroker Topics { get; set; } = new LocalTopicBroker();

    /// <summary>Where session keys live; the cluster package replaces it before start.</summary>
    public Sessions.ISessionDirectory Sessions { get; set; } = new Sessions.LocalSessionDirectory();

    public IReadOnlyList<string> Addresses { get; private set; } = [];

    public async Task StartAsync(string urls, IServiceProvider services, CancellationToken cancellationToken)
    {
        var contentRoot = (services.GetService(typeof(Microsoft.Extensions.Hosting.IHostEnvironment)) as Microsoft.Extensions.Hosting.IHostEnvironment)?.ContentRootPath;
        var metrics = Telemetry.ActorSsgiMetrics.From(services);
        metrics.Observe(this);
        Pool = await CreatePoolAsync(_system, Gateway, _options, _loggerFactory, contentRoot: contentRoot, metrics: metrics).ConfigureAwait(false);
        WebSockets = await WebSocketGateway.CreateAsync(_system, Gateway, _options.WebSockets, Topics, _loggerFactory.CreateLogger("ActorSsgi.WebSockets"), DispatcherId, _options.ServerHeader, metrics).ConfigureAwait(false);
        WebSockets.Sessions = Sessions;
        _kestrel = KestrelFactory.Create(_options, urls, services, _loggerFactory, loggers => _transport = KestrelTransport.Create(services, loggers, _options.ReusePort));
        await _kestrel.StartAsync(new SsgiHttpApplication(Pool, Gateway.WebSocketsThroughHttp ? null : WebSockets, metrics), cancellationToken).ConfigureAwait(false);
        Addresses = _kestrel.Features.Get<IServerAddressesFeature>()?.Addresses.ToArray() ?? [];
        foreach (var address in Addresses)
        {
            _logger.LogInformation("ActorSsgi listening on {Address}", address);
        }
    }

    /// <summary>Starts the request supervisor and the pool of request actors under it.</summary>
    /// <param name="system">The actor system.</param>
    /// <param name="gateway">The negotiated bindings.</param>
    /// <param name="options">The server settings (pool size, Server header).</param>
    /// <param name="loggerFactory">Where the request actors log.</param>
    /// <param name="keepPerThread">Whether each thread keeps the actor it served inline for its next request (see <see cref="RequestActorPool"/>).</param>
    /// <param name="contentRoot">What a relative (or empty) <see cref="SsgiFilesOptions.Root"/> is taken from; <c>null</c> for the current directory.</param>
    /// <param name="metrics">Where handler crashes are counted; <see cref="Telemetry.ActorSsgiMetrics.Shared"/> when <c>null</c>.</param>
    internal static async Task<RequestActorPool> CreatePoolAsync(ActorSystem system, SsgiGateway gateway, ActorSsgiOptions options, ILoggerFactory loggerFactory, bool keepPerThread = true, string? contentRoot = null, Telemetry.ActorSsgiMetrics? metrics = null)
    {
        var files = new FileRoot(options.Files, contentRoot ?? Directory.GetCurrentDirectory());
        var logger = loggerFactory.CreateLogger("ActorSsgi.Http");
        var supervisor = await Dispatch.Supervisors.StartAsync(system, RequestSupervisor.Props(logger, metrics), "ssgi-http").ConfigureAwait(false);
        return new RequestActorPool(supervisor, gateway, logger, options.ServerHeader, DispatcherId, options.RequestActorPoolSize, keepPerThread, files);
    }

    /// <summary>Refuses new connections and lets in-flight requests finish within the drain timeout.</summary>
    public async Task StopAsync()
    {
        if (_kestrel is null)
        {
            return;
        }

        _logger.LogInformation("ActorSsgi draining (up to {DrainTimeout})", _options.DrainTimeout);
        using var drain = new CancellationTokenSource(_options.DrainTimeout);
        var stopping = _kestrel.StopAsync(drain.Token);
        WebSockets?.CloseAll();
        await stopping.ConfigureAwait(false);
        _kestrel.Dispose();
        _kestrel = null;
        _transport?.Dispose();
        _transport = null;
        _logger.LogInformation("ActorSsgi stopped");
    }
}
