using System.Diagnostics.Metrics;
using ActorSsgi.Demo.Chat;
using ActorSsgi.Demo.Dashboard;
using ActorSsgi.Demo.Http;
using ActorSsgi.Demo.WebSockets;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace ActorSsgi.Demo;

/// <summary>
/// The reference application: an <see cref="ISsgiFramework"/> written against the SSGI contract, plus two cluster
/// features reached through the host's services: the chat rooms' entities and the membership view.
/// </summary>
public sealed class DemoFramework : ISsgiFramework, IDisposable
{
    private readonly HttpRoutes _http;
    private readonly WebSocketRoutes _ws;
    private readonly DashboardFeed? _dashboard;

    /// <summary>The demo without host services: no room history, no membership view.</summary>
    public DemoFramework()
        : this(system: null, history: null, dashboard: null)
    {
    }

    /// <summary>
    /// The demo with the host's actor system; room history is on when the host registered <see cref="ChatRooms"/>
    /// entities (the demo's Program.cs does, through <c>WithSsgiEntities</c>).
    /// </summary>
    /// <param name="services">The host's services.</param>
    public DemoFramework(IServiceProvider services)
        : this(services.GetService<ActorSystem>(), RoomsOf(services), DashboardOf(services))
    {
    }

    private DemoFramework(ActorSystem? system, RoomHistory? history, DashboardFeed? dashboard)
    {
        _dashboard = dashboard;
        _http = new HttpRoutes(new DemoCounters(), new ClusterRoutes(system, history));
        _ws = new WebSocketRoutes(history, dashboard);
    }

    /// <inheritdoc />
    public SsgiSupported GetSupported(IReadOnlyDictionary<string, string> supportedInterfaces) =>
        supportedInterfaces.ContainsKey(SsgiInterfaces.Ssgi)
            ? new SsgiSupported(
                SsgiInterfaces.Bind<ISsgiHttpResponse>(_http.Handle),
                SsgiInterfaces.Bind<ISsgiWebSocket>(_ws.Handle))
            : new SsgiSupported(null, null);

    /// <summary>Stops the dashboard's clock and meter listener, if they run.</summary>
    public void Dispose() => _dashboard?.Dispose();

    // The live view (/dashboard) needs the actor system for membership; IDashboardMembership in the container wins.
    private static DashboardFeed? DashboardOf(IServiceProvider services) =>
        (services.GetService<IDashboardMembership>() ?? (services.GetService<ActorSystem>() is { } system ? new ActorSystemMembership(system) : null)) is { } membership
            ? new DashboardFeed(new DashboardSampler(services.GetService<IMeterFactory>()), membership, new RoomSessions())
            : null;

    private static RoomHistory? RoomsOf(IServiceProvider services) =>
        services.GetService<ActorRegistry>() is { } registry && registry.TryGet<ChatRooms>(out var rooms) ? new RoomHistory(rooms) : null;
}
