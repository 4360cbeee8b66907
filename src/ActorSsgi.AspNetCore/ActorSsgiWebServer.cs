using ActorSsgi.Hosting;
using ActorSsgi.Interfaces;
using ActorSsgi.Server;
using Akka.Actor;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ActorSsgi.AspNetCore;

/// <summary>
/// ActorSsgi as an ASP.NET Core web host's <see cref="IServer"/>: the host hands over its request pipeline, and the
/// server offers it to the framework as the <c>aspnetcore</c> interface beside <c>ssgi</c>, then runs it on its own
/// Kestrel through its request actors. Addresses come from the host (<c>--urls</c>, <c>ASPNETCORE_URLS</c>,
/// <c>app.Urls</c>) and otherwise from <c>ActorSsgi:Urls</c>.
/// </summary>
internal sealed class ActorSsgiWebServer : IServer
{
    private readonly IServiceProvider _services;
    private readonly ServerAddressesFeature _addresses = new();
    private SsgiServer? _server;

    public ActorSsgiWebServer(IServiceProvider services)
    {
        _services = services;
        Features.Set<IServerAddressesFeature>(_addresses);
    }

    public IFeatureCollection Features { get; } = new FeatureCollection();

    public async Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
        where TContext : notnull
    {
        var system = _services.GetRequiredService<ActorSystem>();
        var framework = _services.GetService<ISsgiFramework>() ?? AspNetCoreFramework.Instance;
        var urls = _addresses.Addresses.Count > 0
            ? string.Join(';', _addresses.Addresses)
            : _services.GetRequiredService<IOptions<ActorSsgiOptions>>().Value.Urls;
        var pipeline = new AspNetCoreSsgiInterface(
            new HostedApplication<TContext>(application),
            _services.GetRequiredService<IHttpContextFactory>());

        _server = await ActorSsgiHostedService.StartServerAsync(_services, system, framework, urls, [pipeline], cancellationToken).ConfigureAwait(false);
        _addresses.Addresses.Clear();
        foreach (var address in _server.Addresses)
        {
            _addresses.Addresses.Add(address);
        }
    }

    // Normally the actor system's coordinated shutdown has drained the server already; this covers a host that
    // stops the server first.
    public Task StopAsync(CancellationToken cancellationToken) => _server?.StopAsync() ?? Task.CompletedTask;

    public void Dispose()
    {
    }

    private sealed class ServerAddressesFeature : IServerAddressesFeature
    {
        public ICollection<string> Addresses { get; } = new List<string>();

        public bool PreferHostingUrls { get; set; }
    }
}
