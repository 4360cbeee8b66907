using ActorSsgi.Demo.Chat;
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
public sealed class DemoFramework : ISsgiFramework
{
    private readonly HttpRoutes _http;
    private readonly WebSocketRoutes _ws;

    /// <summary>The demo without host services: no room history, no membership view.</summary>
    public DemoFramework()
        : this(system: null, history: null)
    {
    }

    /// <summary>
    /// The demo with the host's actor system; room history is on when the host registered <see cref="ChatRooms"/>
    /// entities (the demo's Program.cs does, through <c>WithSsgiEntities</c>).
    /// </summary>
    /// <param name="services">The host's services.</param>
    public DemoFramework(IServiceProvider services)
        : this(services.GetService<ActorSystem>(), RoomsOf(services))
    {
    }

    private DemoFramework(ActorSystem? system, RoomHistory? history)
    {
        _http = new HttpRoutes(new DemoCounters(), new ClusterRoutes(system, history));
        _ws = new WebSocketRoutes(history);
    }

    /// <inheritdoc />
    public SsgiSupported GetSupported(IReadOnlyDictionary<string, string> supportedInterfaces) =>
        supportedInterfaces.ContainsKey(SsgiInterfaces.Ssgi)
            ? new SsgiSupported(
                SsgiInterfaces.Bind<ISsgiHttpResponse>(_http.Handle),
                SsgiInterfaces.Bind<ISsgiWebSocket>(_ws.Handle))
            : new SsgiSupported(null, null);

    private static RoomHistory? RoomsOf(IServiceProvider services) =>
        services.GetService<ActorRegistry>() is { } registry && registry.TryGet<ChatRooms>(out var rooms) ? new RoomHistory(rooms) : null;
}
