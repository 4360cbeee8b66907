using ActorSsgi.Hosting;
using Akka.Hosting;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ActorSsgi.AspNetCore;

/// <summary>Runs an ASP.NET Core web host on ActorSsgi instead of its own Kestrel.</summary>
public static class ActorSsgiWebHostBuilderExtensions
{
    /// <summary>
    /// Makes ActorSsgi the host's server. The host's pipeline serves HTTP and WebSockets (the <c>aspnetcore</c>
    /// interface for both), unless an <see cref="ISsgiFramework"/> is registered, which then picks per protocol (for
    /// example HTTP through <see cref="AspNetCoreInterface.Pipeline"/>, WebSockets through <c>ssgi</c>).
    /// Settings come from the <c>ActorSsgi</c> configuration section, as for any ActorSsgi server.
    /// </summary>
    /// <param name="builder">The web host builder (<c>WebApplicationBuilder.WebHost</c>).</param>
    /// <param name="configureAkka">Further actor-system setup (clustering, actors).</param>
    /// <returns><paramref name="builder"/>.</returns>
    /// <example>
    /// <code>
    /// var builder = WebApplication.CreateBuilder(args);
    /// builder.WebHost.UseActorSsgi();
    /// var app = builder.Build();
    /// app.MapGet("/hello", () => "Hello");
    /// app.Run();
    /// </code>
    /// </example>
    public static IWebHostBuilder UseActorSsgi(this IWebHostBuilder builder, Action<AkkaConfigurationBuilder, IServiceProvider>? configureAkka = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.ConfigureServices((context, services) =>
        {
            services.AddActorSsgiActorSystem(context.Configuration, configureAkka);
            services.RemoveAll<IServer>();
            services.AddSingleton<IServer, ActorSsgiWebServer>();
        });
    }

    /// <summary>Makes ActorSsgi the host's server, with <typeparamref name="TFramework"/> choosing the interfaces.</summary>
    /// <typeparam name="TFramework">The framework, resolved from the container.</typeparam>
    /// <param name="builder">The web host builder.</param>
    /// <param name="configureAkka">Further actor-system setup.</param>
    /// <returns><paramref name="builder"/>.</returns>
    public static IWebHostBuilder UseActorSsgi<TFramework>(this IWebHostBuilder builder, Action<AkkaConfigurationBuilder, IServiceProvider>? configureAkka = null)
        where TFramework : class, ISsgiFramework =>
        builder.UseActorSsgi(configureAkka).ConfigureServices(services => services.TryAddSingleton<ISsgiFramework, TFramework>());

    /// <summary>Makes ActorSsgi the host's server, with <paramref name="framework"/> choosing the interfaces.</summary>
    /// <param name="builder">The web host builder.</param>
    /// <param name="framework">The framework.</param>
    /// <param name="configureAkka">Further actor-system setup.</param>
    /// <returns><paramref name="builder"/>.</returns>
    public static IWebHostBuilder UseActorSsgi(this IWebHostBuilder builder, ISsgiFramework framework, Action<AkkaConfigurationBuilder, IServiceProvider>? configureAkka = null)
    {
        ArgumentNullException.ThrowIfNull(framework);
        return builder.UseActorSsgi(configureAkka).ConfigureServices(services => services.TryAddSingleton(framework));
    }
}
