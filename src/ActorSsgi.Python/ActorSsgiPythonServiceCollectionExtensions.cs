using ActorSsgi.Hosting;
using ActorSsgi.Python.Wsgi;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ActorSsgi.Python;

/// <summary>Registers a Python application with an ActorSsgi server.</summary>
public static class ActorSsgiPythonServiceCollectionExtensions
{
    /// <summary>
    /// Loads <paramref name="target"/> at once (so a bad target fails here, with a one-line reason) and serves it
    /// through <paramref name="interface"/>, with the interpreter's settings from <c>ActorSsgi:Python</c>.
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="configuration">The host's configuration.</param>
    /// <param name="target"><c>module:attribute</c>.</param>
    /// <param name="interface">
    /// One of <see cref="PythonInterfaces.All"/>, for example <c>"wsgi"</c>, or <see cref="PythonInterfaces.Ssgi"/> for an
    /// object with <c>get_supported</c> (which is then offered ssgi, wsgi and asgi).
    /// </param>
    /// <returns><paramref name="services"/>.</returns>
    /// <exception cref="PythonLoadException">The application could not be loaded.</exception>
    /// <example>
    /// <code>
    /// builder.Services.AddActorSsgiPython(builder.Configuration, "app:app", PythonInterfaces.Wsgi);
    /// </code>
    /// </example>
    public static IServiceCollection AddActorSsgiPython(
        this IServiceCollection services,
        IConfiguration configuration,
        string target,
        string @interface)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = configuration.GetSection(PythonOptions.SectionName).Get<PythonOptions>() ?? new PythonOptions();
        if (@interface == PythonInterfaces.Ssgi)
        {
            return services.AddActorSsgiPythonSsgi(configuration, Ssgi.PythonSsgiFramework.Load(target, options), options);
        }

        var framework = PythonFramework.Load(target, @interface, options);
        services.AddSingleton<Interfaces.SsgiInterface>(provider => framework.InterfaceName switch
        {
            PythonInterfaces.Asgi => new Asgi.AsgiInterface(options, provider.GetRequiredService<ILogger<Asgi.AsgiInterface>>()),
            PythonInterfaces.Rsgi => new Rsgi.RsgiInterface(provider.GetRequiredService<ILogger<Rsgi.RsgiInterface>>()),
            _ => new WsgiInterface(options, provider.GetRequiredService<ILogger<WsgiInterface>>()),
        });
        return services.AddActorSsgi(configuration, framework);
    }

    // An SSGIFramework object chooses per protocol, so every Python interface is offered to it (mixing).
    private static IServiceCollection AddActorSsgiPythonSsgi(
        this IServiceCollection services, IConfiguration configuration, Ssgi.PythonSsgiFramework framework, PythonOptions options)
    {
        services.AddSingleton<Interfaces.SsgiInterface>(provider => new WsgiInterface(options, provider.GetRequiredService<ILogger<WsgiInterface>>()));
        services.AddSingleton<Interfaces.SsgiInterface>(provider => new Asgi.AsgiInterface(provider.GetRequiredService<ILogger<Asgi.AsgiInterface>>()));
        services.AddSingleton<Interfaces.SsgiInterface>(provider => new Rsgi.RsgiInterface(provider.GetRequiredService<ILogger<Rsgi.RsgiInterface>>()));

        // A factory registration, so the container disposes the framework (and its event loop) at shutdown.
        services.AddSingleton<ISsgiFramework>(provider =>
        {
            framework.Logger = provider.GetRequiredService<ILogger<Ssgi.PythonSsgiFramework>>();
            return framework;
        });
        return services.AddActorSsgi(configuration, framework);
    }
}
