using System.Net;
using ActorSsgi.FunctionalTests.Fixtures;

namespace ActorSsgi.FunctionalTests.Http2;

[Collection(Http2ServerCollection.Name)]
public sealed class TlsAlpnSpec(Http2Server fixture) : IDisposable
{
    private readonly HttpClient _h2 = fixture.CreateClient(fixture.Tls, HttpVersion.Version20);

    [Fact]
    public async Task An_http2_client_negotiates_h2_over_tls_and_gets_correct_bodies()
    {
        using var plaintext = await _h2.GetAsync("/plaintext");
        using var big = await _h2.GetAsync("/big?bytes=1000003");

        Assert.Equal(HttpVersion.Version20, plaintext.Version);
        Assert.Equal("Hello, World!", await plaintext.Content.ReadAsStringAsync());
        Assert.Equal(HttpVersion.Version20, big.Version);
        Assert.Equal(1_000_003, (await big.Content.ReadAsByteArrayAsync()).Length);
    }

    [Fact]
    public async Task Echo_over_h2_reports_the_request_and_body()
    {
        var body = Http.StreamSpec.RandomBytes(70_000);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/echo/h2%20path?x=%20y")
        {
            Content = new ByteArrayContent(body),
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Headers.Add("X-Repeat", ["one", "two"]);

        using var response = await _h2.SendAsync(request);
        var echo = Echo.Parse(await response.Content.ReadAsByteArrayAsync());

        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.Equal("POST", echo.Method);
        Assert.Equal("/echo/h2 path", echo.Path);
        Assert.Equal("x=%20y", echo.QueryString);
        Assert.Equal("one, two", echo.Headers["x-repeat"]);
        Assert.Equal($"127.0.0.1:{fixture.Tls.Port}", echo.ServerAddress);
        Assert.Equal(body, echo.Body);
    }

    [Fact]
    public async Task Concurrent_streams_over_one_tls_connection_all_complete_byte_exact()
    {
        var bodies = Enumerable.Range(0, 12).Select(i => Http.StreamSpec.RandomBytes(1_500_000 + i)).ToArray();

        var responses = await Task.WhenAll(bodies.Select(async body =>
        {
            using var response = await _h2.PostAsync("/stream", new DuplexContent(body));
            return (response.Version, Bytes: await response.Content.ReadAsByteArrayAsync());
        }));
        var remotes = await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ => Echo.Parse(await _h2.GetByteArrayAsync("/echo")).RemoteAddress));

        for (var i = 0; i < bodies.Length; i++)
        {
            Assert.Equal(HttpVersion.Version20, responses[i].Version);
            Assert.True(bodies[i].AsSpan().SequenceEqual(responses[i].Bytes), $"stream {i} came back different");
        }

        Assert.Single(remotes.Distinct());
    }

    [Fact]
    public async Task An_http11_client_on_the_same_tls_endpoint_falls_back_to_http11()
    {
        using var h1 = fixture.CreateClient(fixture.Tls, HttpVersion.Version11);

        using var response = await h1.GetAsync("/plaintext");

        Assert.Equal(HttpVersion.Version11, response.Version);
        Assert.Equal("Hello, World!", await response.Content.ReadAsStringAsync());
    }

    public void Dispose() => _h2.Dispose();
}
