using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using ActorSsgi.FunctionalTests.Fixtures;

namespace ActorSsgi.FunctionalTests.Strict;

/// <summary>Over TLS the strict HTTP/1.1 filter sits after the handshake: it judges the decrypted requests.</summary>
public sealed class StrictHttp1TlsSpec
{
    [Fact]
    public async Task Forbidden_input_inside_tls_gets_400_and_a_close_after_the_valid_request_before_it()
    {
        using var certificate = SelfSignedCertificate.Create();
        await using var server = await DemoServer.StartWithUrlsAsync(
            urls: null,
            "ActorSsgi:Endpoints:tls:Url=https://127.0.0.1:0",
            "ActorSsgi:Endpoints:tls:Protocols=Http1",
            $"ActorSsgi:Endpoints:tls:Certificate:Path={certificate.Path}",
            $"ActorSsgi:Endpoints:tls:Certificate:Password={certificate.Password}");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.EndPoint, timeout.Token);
        await using var tls = new SslStream(tcp.GetStream());
        await tls.AuthenticateAsClientAsync(
            new SslClientAuthenticationOptions
            {
                TargetHost = "localhost",
                ApplicationProtocols = [SslApplicationProtocol.Http11],
                RemoteCertificateValidationCallback = (_, cert, _, _) =>
                    cert is not null && string.Equals(cert.GetCertHashString(), certificate.Thumbprint, StringComparison.OrdinalIgnoreCase),
            },
            timeout.Token);

        await tls.WriteAsync(Encoding.ASCII.GetBytes(
            "GET /plaintext HTTP/1.1\r\nHost: t\r\n\r\n" +
            "GET /plaintext HTTP/1.1\r\nHost: t\r\nContent-Length: -0\r\n\r\n"), timeout.Token);
        var received = new MemoryStream();
        await tls.CopyToAsync(received, timeout.Token); // ends when the server closes
        var text = Encoding.ASCII.GetString(received.ToArray());

        Assert.StartsWith("HTTP/1.1 200 OK", text);
        Assert.Contains("Hello, World!", text);
        var second = text[(text.IndexOf("Hello, World!", StringComparison.Ordinal) + 13)..];
        Assert.StartsWith("HTTP/1.1 400 Bad Request", second);
        Assert.Contains("Connection: close", second, StringComparison.OrdinalIgnoreCase);
    }
}
