using Microsoft.AspNetCore.Http;

namespace ActorSsgi.AspNetCore;

/// <summary>
/// The <c>aspnetcore</c> interface's binding: HTTP (and, when both protocols are bound to it, WebSockets through
/// <c>HttpContext.WebSockets</c>) served by an ASP.NET Core request pipeline.
/// </summary>
/// <param name="Application">
/// The pipeline to run; <c>null</c> (<see cref="AspNetCoreInterface.Pipeline"/>) is the web host's own, built from
/// its middleware and endpoints, with everything the host adds per request (a DI scope, <c>IHttpContextAccessor</c>,
/// hosting diagnostics and metrics).
/// </param>
public sealed record AspNetCoreBinding(RequestDelegate? Application)
    : SsgiInterfaceBinding(AspNetCoreInterface.Name);
