using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;

namespace ActorSsgi.Interfaces;

/// <summary>
/// An <see cref="IHttpApplication{TContext}"/> hosted inside the request actors, its context type erased so that
/// one actor type serves any of them. The context is an object reference (ASP.NET Core's is a class): no boxing.
/// </summary>
internal interface IHostedApplication
{
    object CreateContext(IFeatureCollection features);

    Task ProcessRequestAsync(object context);

    void DisposeContext(object context, Exception? exception);

    /// <summary>A feature collection over Kestrel's that lets the application reuse its context per connection.</summary>
    HostedFeatures CreateFeatures();
}

/// <summary>The typed side of <see cref="IHostedApplication"/>.</summary>
internal sealed class HostedApplication<TContext>(IHttpApplication<TContext> application) : IHostedApplication
    where TContext : notnull
{
    public object CreateContext(IFeatureCollection features) => application.CreateContext(features);

    public Task ProcessRequestAsync(object context) => application.ProcessRequestAsync((TContext)context);

    public void DisposeContext(object context, Exception? exception) => application.DisposeContext((TContext)context, exception);

    public HostedFeatures CreateFeatures() => new HostedFeatures<TContext>();
}
