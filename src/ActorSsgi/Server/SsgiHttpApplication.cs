using ActorSsgi.Http;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Abstractions;
using Microsoft.AspNetCore.Http.Features;
using Akka.Actor;

namespace ActorSsgi.Server;

/// <summary>
/// What Kestrel calls for every request: no WebHost, no HttpContext, no middleware. HTTP requests are handed to a
/// pooled <see cref="RequestActor"/>; WebSocket upgrades to the WebSocket gateway.
/// </summary>
internal sealed class SsgiHttpApplication : IHttpApplication<SsgiRequestContext>
{
    private readonly RequestActorPool _pool;
    private readonly IWebSocketUpgrade? _webSockets;
    private readonly Telemetry.ActorSsgiMetrics _metrics;

    public SsgiHttpApplication(RequestActorPool pool, IWebSocketUpgrade? webSockets, Telemetry.ActorSsgiMetrics? metrics = null)
    {
        _pool = pool;
        _webSockets = webSockets;
        _metrics = metrics ?? Telemetry.ActorSsgiMetrics.Shared;
    }

    public SsgiRequestContext CreateContext(IFeatureCollection contextFeatures)
    {
        // Kestrel keeps our context per connection (and per pooled HTTP/2 stream): reuse it.
        SsgiRequestContext context;
        if (contextFeatures is IHostContextContainer<SsgiRequestContext> container)
        {
            context = container.HostContext ??= new SsgiRequestContext();
        }
        else
        {
            context = new SsgiRequestContext();
        }

        context.Open(contextFeatures);
        _metrics.RequestStarted(context);
        return context;
    }

    public Task ProcessRequestAsync(SsgiRequestContext context)
    {
        if (_webSockets is not null && _webSockets.IsUpgrade(context))
        {
            return _webSockets.HandleAsync(context);
        }

        var actor = _pool.Rent();
        context.Owner = actor;
        // With the inline dispatcher, an idle actor serves the request right here, on Kestrel's thread.
        actor.Tell(context, ActorRefs.NoSender);
        return context.CompletionTask();
    }

    public void DisposeContext(SsgiRequestContext context, Exception? exception)
    {
        _metrics.RequestEnded(context);
        context.Owner = null;
    }
}

/// <summary>The WebSocket side of the application: recognises upgrades and serves them.</summary>
internal interface IWebSocketUpgrade
{
    bool IsUpgrade(SsgiRequestContext context);

    Task HandleAsync(SsgiRequestContext context);
}
