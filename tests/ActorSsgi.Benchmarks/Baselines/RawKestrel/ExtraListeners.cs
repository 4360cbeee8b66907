// HTTP/2 listeners for the h2c and h2tls scenarios (issue 17), on ports of their own next to --urls:
//   --h2c http://127.0.0.1:P                          HTTP/2 only, cleartext (h2load's prior knowledge)
//   --https https://127.0.0.1:P --cert C.pem --key K.pem   HTTP/1.1 and HTTP/2 over TLS, chosen by ALPN
// The request path is the same RawApplication; only the listeners differ. TLS needs Kestrel's HTTPS services,
// which only its IWebHostBuilder extensions register, so a small service provider is built for that case alone.
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;

namespace RawKestrel;

internal static class ExtraListeners
{
    public static void Configure(KestrelServerOptions kestrel, string[] args)
    {
        if (Value(args, "--h2c") is { } h2c)
        {
            kestrel.Listen(Endpoint(h2c, "http"), listen => listen.Protocols = HttpProtocols.Http2);
        }
        if (Value(args, "--https") is { } https)
        {
            var cert = Value(args, "--cert") ?? throw new ArgumentException("--https needs --cert CERT.pem --key KEY.pem");
            var key = Value(args, "--key") ?? throw new ArgumentException("--https needs --key KEY.pem");
            var services = new ServiceCollection();
            services.AddMetrics();
            services.AddLogging(); // no providers: nothing is written
            services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
            services.AddSingleton<IHostEnvironment>(new HostingEnvironment
            {
                EnvironmentName = Environments.Production,
                ApplicationName = "RawKestrel",
                ContentRootPath = AppContext.BaseDirectory,
                ContentRootFileProvider = new NullFileProvider(),
            });
            new ServicesOnly(services).UseKestrelCore().UseKestrelHttpsConfiguration();
            kestrel.ApplicationServices = services.BuildServiceProvider();
            var certificate = X509Certificate2.CreateFromPemFile(cert, key);
            kestrel.Listen(Endpoint(https, "https"), listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(certificate);
            });
        }
    }

    private static string? Value(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    private static IPEndPoint Endpoint(string url, string scheme)
    {
        var uri = new Uri(url);
        if (uri.Scheme != scheme)
        {
            throw new ArgumentException($"expected {scheme}://IP:PORT, got {url}");
        }
        return new IPEndPoint(IPAddress.Parse(uri.Host), uri.Port);
    }

    // Lets the IWebHostBuilder extensions register their services into a plain ServiceCollection.
    private sealed class ServicesOnly(IServiceCollection services) : IWebHostBuilder
    {
        public IWebHostBuilder ConfigureServices(Action<IServiceCollection> configureServices)
        {
            configureServices(services);
            return this;
        }

        public IWebHostBuilder ConfigureServices(Action<WebHostBuilderContext, IServiceCollection> configureServices) =>
            throw new NotSupportedException();

        public IWebHostBuilder ConfigureAppConfiguration(Action<WebHostBuilderContext, IConfigurationBuilder> configureDelegate) =>
            throw new NotSupportedException();

        public string? GetSetting(string key) => null;

        public IWebHostBuilder UseSetting(string key, string? value) => throw new NotSupportedException();

#pragma warning disable ASPDEPR008 // IWebHost is obsolete, but IWebHostBuilder still declares Build().
        public IWebHost Build() => throw new NotSupportedException();
#pragma warning restore ASPDEPR008
    }
}
