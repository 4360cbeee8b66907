using System.Net;
using ActorSsgi.FunctionalTests.Fixtures;

namespace ActorSsgi.FunctionalTests.Http2;

/// <summary>
/// The demo with two named endpoints and nothing else: <c>h2c</c> (plain, Protocols=Http2: prior-knowledge HTTP/2)
/// and <c>tls</c> (https, Protocols=Http1AndHttp2: ALPN picks) with a certificate made for the test.
/// </summary>
public sealed class Http2Server : IAsyncLifetime
{
    private DemoServer? _server;

    public SelfSignedCertificate Certificate { get; } = SelfSignedCertificate.Create();

    public DemoServer Server => _server ?? throw new InvalidOperationException("not started");

    /// <summary>The h2c endpoint: the only http:// address.</summary>
    public Uri H2c => Server.Addresses.Single(a => a.Scheme == "http");

    /// <summary>The TLS endpoint: the only https:// address.</summary>
    public Uri Tls => Server.Addresses.Single(a => a.Scheme == "https");

    public async Task InitializeAsync() => _server = await DemoServer.StartWithUrlsAsync(
        urls: null,
        "ActorSsgi:Endpoints:h2c:Url=http://127.0.0.1:0",
        "ActorSsgi:Endpoints:h2c:Protocols=Http2",
        "ActorSsgi:Endpoints:tls:Url=https://127.0.0.1:0",
        "ActorSsgi:Endpoints:tls:Protocols=Http1AndHttp2",
        $"ActorSsgi:Endpoints:tls:Certificate:Path={Certificate.Path}",
        $"ActorSsgi:Endpoints:tls:Certificate:Password={Certificate.Password}");

    /// <summary>
    /// A client for <paramref name="baseAddress"/> that speaks exactly <paramref name="version"/> and trusts only
    /// the test certificate. One handler: requests share a connection (HTTP/2 multiplexes them as streams).
    /// </summary>
    public HttpClient CreateClient(Uri baseAddress, Version version)
    {
        var handler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = false,
            SslOptions =
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                    certificate is not null && string.Equals(certificate.GetCertHashString(), Certificate.Thumbprint, StringComparison.OrdinalIgnoreCase),
            },
        };
        return new HttpClient(handler)
        {
            BaseAddress = baseAddress,
            DefaultRequestVersion = version,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        Certificate.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class Http2ServerCollection : ICollectionFixture<Http2Server>
{
    public const string Name = "http2 demo server";
}
