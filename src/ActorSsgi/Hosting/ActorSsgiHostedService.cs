using ActorSsgi.Server;
using Akka.Actor;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ActorSsgi.Hosting;

/// <summary>
/// Runs the server in the generic host, after Akka.Hosting has started the actor system. Shutdown goes through
/// <see cref="CoordinatedShutdown"/>: in its service-unbind phase Kestrel stops accepting, WebSocket sessions are
/// closed with 1001 and in-flight requests get the drain timeout to finish.
/// </summary>
internal sealed class ActorSsgiHostedService : IHostedService
{
    private readonly IServiceProvider _services;
    private SsgiServer? _server;
    private ActorSystem? _system;

    public ActorSsgiHostedService(IServiceProvider services) => _services = services;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var options = _services.GetRequiredService<IOptions<ActorSsgiOptions>>().Value;
        var configuration = _services.GetRequiredService<IConfiguration>();
        _system = _services.GetRequiredService<ActorSystem>();
        var server = _server = new SsgiServer(
            _system,
            options,
            _services.GetRequiredService<ISsgiFramework>(),
            _services.GetRequiredService<ILoggerFactory>(),
            _services.GetServices<Interfaces.SsgiInterface>());
        foreach (var extension in _services.GetServices<ISsgiServerExtension>())
        {
            extension.Configure(server, _system);
        }

        // The host's --urls wins over ActorSsgi:Urls, as in any ASP.NET Core app.
        var urls = configuration["urls"] is { Length: > 0 } hostUrls ? hostUrls : options.Urls;
        await server.StartAsync(urls, _services, cancellationToken).ConfigureAwait(false);
        _services.GetRequiredService<SsgiServerAddresses>().Set(server.Addresses);

        CoordinatedShutdown.Get(_system).AddTask(CoordinatedShutdown.PhaseServiceUnbind, "actorssgi-drain", async () =>
        {
            await server.StopAsync().ConfigureAwait(false);
            return Akka.Done.Instance;
        });
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_system is not null)
        {
            await CoordinatedShutdown.Get(_system).Run(CoordinatedShutdown.ClrExitReason.Instance).ConfigureAwait(false);
        }
    }
}

/// <summary>A part of the server that plugs in at start (WebSockets, cluster).</summary>
internal interface ISsgiServerExtension
{
    void Configure(SsgiServer server, ActorSystem system);
}
