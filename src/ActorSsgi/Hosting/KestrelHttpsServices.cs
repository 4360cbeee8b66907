using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ActorSsgi.Hosting;

/// <summary>
/// Kestrel's <c>ListenOptions.UseHttps</c> resolves internal services (<c>IHttpsConfigurationService</c>,
/// <c>KestrelMetrics</c>) from <c>KestrelServerOptions.ApplicationServices</c>, and only Kestrel's
/// <see cref="IWebHostBuilder"/> extensions register them. ActorSsgi hosts Kestrel without a web host, so it applies
/// those extensions (<c>UseKestrelCore</c>, <c>UseKestrelHttpsConfiguration</c>) to the generic host's services
/// through this adapter. Without it every https:// endpoint fails at start with "No service for type
/// 'IHttpsConfigurationService' has been registered".
/// </summary>
internal sealed class KestrelHttpsServices : IWebHostBuilder
{
    private readonly IServiceCollection _services;

    private KestrelHttpsServices(IServiceCollection services) => _services = services;

    /// <summary>Registers what Kestrel's HTTPS support resolves at <c>UseHttps</c>.</summary>
    public static void Register(IServiceCollection services)
    {
        services.AddMetrics();
        new KestrelHttpsServices(services).UseKestrelCore().UseKestrelHttpsConfiguration();
    }

    public IWebHostBuilder ConfigureServices(Action<IServiceCollection> configureServices)
    {
        configureServices(_services);
        return this;
    }

    public IWebHostBuilder ConfigureServices(Action<WebHostBuilderContext, IServiceCollection> configureServices) =>
        throw new NotSupportedException("Only service registration without a web host context is supported.");

    public IWebHostBuilder ConfigureAppConfiguration(Action<WebHostBuilderContext, IConfigurationBuilder> configureDelegate) =>
        throw new NotSupportedException("ActorSsgi has no web host configuration.");

    public string? GetSetting(string key) => null;

    public IWebHostBuilder UseSetting(string key, string? value) =>
        throw new NotSupportedException("ActorSsgi has no web host settings.");

#pragma warning disable ASPDEPR008 // IWebHost is obsolete, but IWebHostBuilder still declares Build().
    public IWebHost Build() => throw new NotSupportedException("ActorSsgi has no web host.");
#pragma warning restore ASPDEPR008
}
