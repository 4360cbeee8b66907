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

    /// <summary>The running server, for tests that look at its request actors and sessions.</summary>
    internal SsgiServer? Server => _server;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var configuration = _services.GetRequiredService<IConfiguration>();
        _system = _services.GetRequiredService<ActorSystem>();

        // The host's --urls wins over ActorSsgi:Urls, as in any ASP.NET Core app.
        var options = _services.GetRequiredService<IOptions<ActorSsgiOptions>>().Value;
        var urls = configuration["urls"] is { Length: > 0 } hostUrls ? hostUrls : options.Urls;
        _server = await StartServerAsync(_services, _system, _services.GetRequiredService<ISsgiFramework>(), urls, [], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Negotiates with <paramref name="framework"/>, starts the server on <paramref name="urls"/>, publishes its
    /// addresses and hooks its drain into <see cref="CoordinatedShutdown"/>.
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="system">The running actor system.</param>
    /// <param name="framework">The application.</param>
    /// <param name="urls">Where to listen.</param>
    /// <param name="hostInterfaces">Interfaces the host itself offers (ASP.NET Core's pipeline), besides the registered ones.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    internal static async Task<SsgiServer> StartServerAsync(IServiceProvider services, ActorSystem system, ISsgiFramework framework, string urls, IEnumerable<Interfaces.SsgiInterface> hostInterfaces, CancellationToken cancellationToken)
    {
        var options = services.GetRequiredService<IOptions<ActorSsgiOptions>>().Value;
        var server = new SsgiServer(
            system,
            options,
            framework,
            services.GetRequiredService<ILoggerFactory>(),
            services.GetServices<Interfaces.SsgiInterface>().Concat(hostInterfaces));
        server.State = services.GetService<Health.SsgiServerState>() ?? server.State;
        foreach (var extension in services.GetServices<ISsgiServerExtension>())
        {
            extension.Configure(server, system);
        }

        await server.StartAsync(urls, services, cancellationToken).ConfigureAwait(false);
        services.GetRequiredService<SsgiServerAddresses>().Set(server.Addresses);

        CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseServiceUnbind, "actorssgi-drain", async () =>
        {
            await server.StopAsync().ConfigureAwait(false);
            return Akka.Done.Instance;
        });
        return server;
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
