using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace ActorSsgi.AspNetCore;

/// <summary>
/// A framework's own <see cref="RequestDelegate"/> as an <see cref="IHttpApplication{TContext}"/>: the host's
/// <see cref="IHttpContextFactory"/> makes each <see cref="HttpContext"/>, so request services (a DI scope per
/// request) and <c>IHttpContextAccessor</c> work as in the host's own pipeline.
/// </summary>
internal sealed class DelegateApplication(RequestDelegate application, IHttpContextFactory contextFactory) : IHttpApplication<HttpContext>
{
    public HttpContext CreateContext(IFeatureCollection contextFeatures) => contextFactory.Create(contextFeatures);

    public Task ProcessRequestAsync(HttpContext context) => application(context);

    public void DisposeContext(HttpContext context, Exception? exception) => contextFactory.Dispose(context);
}
