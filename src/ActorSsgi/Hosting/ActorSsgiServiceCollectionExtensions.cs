using ActorSsgi.Server;
using Akka.Configuration;
using Akka.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ActorSsgi.Hosting;

/// <summary>Registers ActorSsgi in the .NET generic host.</summary>
public static class ActorSsgiServiceCollectionExtensions
{
    /// <summary>
    /// Runs an ActorSsgi server for <typeparamref name="TFramework"/> as a hosted service, with the actor system
    /// <c>actorssgi</c> from Akka.Hosting and options from the <c>ActorSsgi</c> section of <paramref name="configuration"/>.
    /// </summary>
    /// <typeparam name="TFramework">The application, resolved from the container.</typeparam>
    /// <param name="services">The host's services.</param>
    /// <param name="configuration">The host's configuration (appsettings, command line, environment).</param>
    /// <param name="configureAkka">Further actor-system setup (clustering, actors), applied after ActorSsgi's.</param>
    /// <returns><paramref name="services"/>.</returns>
    /// <example>
    /// <code>
    /// var builder = Host.CreateApplicationBuilder(args);
    /// builder.Services.AddActorSsgi&lt;MyFramework&gt;(builder.Configuration);
    /// await builder.Build().RunAsync();
    /// </code>
    /// </example>
    public static IServiceCollection AddActorSsgi<TFramework>(
        this IServiceCollection services,
        IConfiguration configuration,
        Action<AkkaConfigurationBuilder, IServiceProvider>? configureAkka = null)
        where TFramework : class, ISsgiFramework
    {
        services.TryAddSingleton<ISsgiFramework, TFramework>();
        return services.AddActorSsgiCore(configuration, configureAkka);
    }

    /// <summary>Runs an ActorSsgi server for the given <paramref name="framework"/> instance.</summary>
    /// <param name="services">The host's services.</param>
    /// <param name="configuration">The host's configuration.</param>
    /// <param name="framework">The application.</param>
    /// <param name="configureAkka">Further actor-system setup, applied after ActorSsgi's.</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddActorSsgi(
        this IServiceCollection services,
        IConfiguration configuration,
        ISsgiFramework framework,
        Action<AkkaConfigurationBuilder, IServiceProvider>? configureAkka = null)
    {
        services.TryAddSingleton(framework);
        return services.AddActorSsgiCore(configuration, configureAkka);
    }

    /// <summary>
    /// Offers <paramref name="ssgiInterface"/> to the framework besides <c>ssgi</c> (each interface package calls this
    /// from its own registration method, such as <c>AddActorSsgiPython</c>). Registering one name twice fails at start.
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="ssgiInterface">The interface.</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddSsgiInterface(this IServiceCollection services, Interfaces.SsgiInterface ssgiInterface)
    {
        ArgumentNullException.ThrowIfNull(ssgiInterface);
        services.AddSingleton(ssgiInterface);
        return services;
    }

    private static IServiceCollection AddActorSsgiCore(
        this IServiceCollection services,
        IConfiguration configuration,
        Action<AkkaConfigurationBuilder, IServiceProvider>? configureAkka)
    {
        services.AddActorSsgiActorSystem(configuration, configureAkka);

        // Registered after AddAkka so that it starts after the actor system and stops before it.
        services.AddHostedService<ActorSsgiHostedService>();
        return services;
    }

    /// <summary>
    /// Everything of ActorSsgi but the hosted service that starts the server: options, addresses, TLS services and
    /// the actor system. A host that starts the server another way (ASP.NET Core's <c>IServer</c>) uses this.
    /// </summary>
    internal static IServiceCollection AddActorSsgiActorSystem(
        this IServiceCollection services,
        IConfiguration configuration,
        Action<AkkaConfigurationBuilder, IServiceProvider>? configureAkka)
    {
        var section = configuration.GetSection(ActorSsgiOptions.SectionName);
        services.AddOptions<ActorSsgiOptions>().Bind(section);
        // The host's own socket transport (KestrelHttpsServices registers one, as an ASP.NET Core app has) binds
        // through these options; KestrelTransport sets the same on the transport it makes when the host has none.
        services.AddOptions<Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets.SocketTransportOptions>()
            .Configure<Microsoft.Extensions.Options.IOptions<ActorSsgiOptions>>((socket, ssgi) =>
            {
                if (ssgi.Value.ReusePort)
                {
                    socket.CreateBoundListenSocket = KestrelTransport.BindReusingPort;
                }
            });
        services.TryAddSingleton<SsgiServerAddresses>();
        // The meters come from the host's IMeterFactory, so each host (and each test's) has instruments of its own.
        services.AddMetrics();
        services.TryAddSingleton<Telemetry.ActorSsgiMetrics>();
        KestrelHttpsServices.Register(services);
        var options = section.Get<ActorSsgiOptions>() ?? new ActorSsgiOptions();

        services.AddAkka("actorssgi", (builder, provider) =>
        {
            // Precedence, highest first: the caller's setup, akka.hocon, ActorSsgi's built-in defaults.
            builder.AddHocon(SsgiHocon.Defaults(options), HoconAddMode.Append);
            var hoconPath = Path.IsPathRooted(options.AkkaHocon) ? options.AkkaHocon : Path.Combine(AppContext.BaseDirectory, options.AkkaHocon);
            if (File.Exists(hoconPath))
            {
                builder.AddHocon(ConfigurationFactory.ParseString(File.ReadAllText(hoconPath)), HoconAddMode.Prepend);
            }

            builder.ConfigureLoggers(loggers =>
            {
                loggers.ClearLoggers();
                loggers.AddLoggerFactory();
            });
            configureAkka?.Invoke(builder, provider);
        });
        return services;
    }
}
