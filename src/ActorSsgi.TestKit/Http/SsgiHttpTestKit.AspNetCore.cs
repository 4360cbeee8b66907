using ActorSsgi.AspNetCore;
using ActorSsgi.Interfaces;
using Akka.Actor;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ActorSsgi.TestKit.Http;

/// <summary>The kit for the <c>aspnetcore</c> interface: an ASP.NET Core request delegate in the request actors.</summary>
public sealed partial class SsgiHttpTestKit
{
    /// <summary>
    /// A kit serving HTTP through the <c>aspnetcore</c> interface: <paramref name="application"/> runs in the request
    /// actors exactly as under <c>UseActorSsgi</c> (actor-owned abort, crash = 500 from the supervisor), over the
    /// kit's synthetic connection. Each request gets an <see cref="HttpContext"/> from
    /// <paramref name="services"/>' <see cref="IHttpContextFactory"/> (a DI scope per request).
    /// </summary>
    /// <param name="system">The test's actor system.</param>
    /// <param name="application">The pipeline under test, for example built with <c>ApplicationBuilder</c>, or a lambda.</param>
    /// <param name="services">The application's services; an empty container with logging and options when <c>null</c>.</param>
    /// <param name="options">
    /// Settings; defaults when <c>null</c>, with <see cref="SsgiHttpTestKitOptions.DetectCallsOutsideActor"/> off,
    /// since ASP.NET Core code resumes its awaits on the thread pool by design.
    /// </param>
    /// <returns>The kit.</returns>
    /// <example>
    /// <code>
    /// var kit = await SsgiHttpTestKit.CreateAsync(Sys, context => context.Response.WriteAsync("hi"));
    /// Assert.Equal("hi", (await kit.GetAsync("/")).BodyText);
    /// </code>
    /// </example>
    public static Task<SsgiHttpTestKit> CreateAsync(ActorSystem system, RequestDelegate application, IServiceProvider? services = null, SsgiHttpTestKitOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(application);
        options ??= new SsgiHttpTestKitOptions { DetectCallsOutsideActor = false };
        services ??= new ServiceCollection().AddLogging().AddOptions().BuildServiceProvider();
        var contextFactory = services.GetService<IHttpContextFactory>() ?? new DefaultHttpContextFactory(services);
        var pipeline = new HostedApplication<HttpContext>(new DelegateApplication(application, contextFactory));
        options.Interfaces.Add(new AspNetCoreSsgiInterface(pipeline, contextFactory));
        return CreateAsync(system, AspNetCoreFramework.Instance, options);
    }
}
