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
    private readonly Telemetry.RequestObserver? _observer;
    private readonly Health.HealthEndpoint? _health;
    private readonly Telemetry.ActorSsgiMetrics _metrics;

    public SsgiHttpApplication(RequestActorPool pool, IWebSocketUpgrade? webSockets, Telemetry.RequestObserver? observer = null, Health.HealthEndpoint? health = null, Telemetry.ActorSsgiMetrics? metrics = null)
    {
        _pool = pool;
        _webSockets = webSockets;
        _observer = observer;
        _health = health;
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
        // Probes are answered before the application sees the request (a path compare, only when enabled).
        if (_health?.TryServe(context) is { } probe)
        {
            return probe;
        }

        // Tracing or the access log: one check (a boolean, ActivitySource.HasListeners) when both are off.
        if (_observer is not null && _observer.IsActive)
        {
            return ProcessObserved(context);
        }

        return Dispatch(context, _webSockets is not null && _webSockets.IsUpgrade(context));
    }

    private Task Dispatch(SsgiRequestContext context, bool webSocket)
    {
        if (webSocket)
        {
            return _webSockets!.HandleAsync(context);
        }

        var actor = _pool.Rent();
        context.Owner = actor;
        // With the inline dispatcher, an idle actor serves the request right here, on Kestrel's thread.
        actor.Tell(context, ActorRefs.NoSender);
        return context.CompletionTask();
    }

    /// <summary>
    /// The same, observed: the span is current while the actor serves the request inline on this thread (and in the
    /// handler's awaits, which carry it on), then this thread gets back what was current before.
    /// </summary>
    private Task ProcessObserved(SsgiRequestContext context)
    {
        var webSocket = _webSockets is not null && _webSockets.IsUpgrade(context);
        var previous = _observer!.Start(context, webSocket);
        try
        {
            return Dispatch(context, webSocket);
        }
        finally
        {
            System.Diagnostics.Activity.Current = previous;
        }
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
