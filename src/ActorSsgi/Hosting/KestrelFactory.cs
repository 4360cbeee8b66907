using ActorSsgi.Hosting.Strict;
using Microsoft.AspNetCore.Hosting;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ActorSsgi.Hosting;

/// <summary>Builds a bare <see cref="KestrelServer"/> from <see cref="ActorSsgiOptions"/>.</summary>
internal static class KestrelFactory
{
    public static KestrelServer Create(ActorSsgiOptions options, string urls, IServiceProvider services, ILoggerFactory hostLoggerFactory, Func<ILoggerFactory, KestrelTransport> transport)
    {
        // Kestrel's per-connection logging scope would put an AsyncLocal on every await of every connection.
        var loggerFactory = new ScopelessLoggerFactory(hostLoggerFactory);
        var kestrel = new KestrelServerOptions { ApplicationServices = services, AddServerHeader = false };
        var limits = kestrel.Limits;
        limits.MaxRequestBodySize = options.Limits.MaxRequestBodySize;
        limits.MaxRequestHeadersTotalSize = options.Limits.MaxRequestHeadersTotalSize;
        limits.MaxRequestHeaderCount = options.Limits.MaxRequestHeaderCount;
        limits.RequestHeadersTimeout = options.Limits.RequestHeadersTimeout;
        limits.KeepAliveTimeout = options.Limits.KeepAliveTimeout;
        limits.MaxConcurrentConnections = options.Limits.MaxConcurrentConnections;
        limits.MaxConcurrentUpgradedConnections = options.WebSockets.MaxSessions;
        limits.MinRequestBodyDataRate = Rate(options.Limits.MinRequestBodyDataRate, options.Limits.MinDataRateGracePeriod);
        limits.MinResponseDataRate = Rate(options.Limits.MinResponseDataRate, options.Limits.MinDataRateGracePeriod);

        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var https = url.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
            Listen(kestrel, url, https ? HttpProtocols.Http1AndHttp2 : HttpProtocols.Http1, https ? options.Certificate : null, options.Limits.StrictHttp1 ? loggerFactory : null);
        }

        foreach (var (name, endpoint) in options.Endpoints)
        {
            if (!Enum.TryParse<HttpProtocols>(endpoint.Protocols, ignoreCase: true, out var protocols))
            {
                throw new InvalidOperationException($"ActorSsgi:Endpoints:{name}:Protocols '{endpoint.Protocols}' is not Http1, Http2 or Http1AndHttp2.");
            }

            Listen(kestrel, endpoint.Url, protocols, endpoint.Certificate ?? options.Certificate, options.Limits.StrictHttp1 ? loggerFactory : null);
        }

        return new KestrelServer(Options.Create(kestrel), transport(loggerFactory).Factory, loggerFactory);
    }

    private static MinDataRate? Rate(double bytesPerSecond, TimeSpan grace) =>
        bytesPerSecond <= 0 ? null : new MinDataRate(bytesPerSecond, grace);

    private static void Listen(KestrelServerOptions kestrel, string url, HttpProtocols protocols, SsgiCertificateOptions? certificate, ILoggerFactory? strictHttp1)
    {
        if (!Uri.TryCreate(url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri)
            || (uri.Scheme != "http" && uri.Scheme != "https"))
        {
            throw new InvalidOperationException($"'{url}' is not an http:// or https:// URL with a host and port.");
        }

        var https = uri.Scheme == "https";
        if (https && certificate is null)
        {
            throw new InvalidOperationException($"'{url}' needs a certificate: set ActorSsgi:Certificate:Path (and Password), or one on the endpoint.");
        }

        void Configure(ListenOptions listen)
        {
            listen.Protocols = protocols;
            if (https)
            {
                listen.UseHttps(LoadCertificate(certificate!));
            }

            // After UseHttps: connection middleware runs in the order added, so the filter reads decrypted bytes.
            if (strictHttp1 is not null)
            {
                listen.UseStrictHttp1(strictHttp1);
            }
        }

        var port = uri.Port;
        if (uri.Host == "localhost")
        {
            kestrel.ListenLocalhost(port, Configure);
        }
        else if (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address))
        {
            kestrel.Listen(address, port, Configure);
        }
        else
        {
            throw new InvalidOperationException($"'{url}': the host must be an IP address or localhost.");
        }
    }

    private static X509Certificate2 LoadCertificate(SsgiCertificateOptions certificate)
    {
        if (!File.Exists(certificate.Path))
        {
            throw new InvalidOperationException($"The TLS certificate '{certificate.Path}' does not exist.");
        }

        return certificate.KeyPath is { Length: > 0 } keyPath
            ? X509Certificate2.CreateFromPemFile(certificate.Path, keyPath)
            : X509CertificateLoader.LoadPkcs12FromFile(certificate.Path, certificate.Password);
    }
}
