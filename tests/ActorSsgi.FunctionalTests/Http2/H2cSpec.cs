using System.Diagnostics;
using System.Net;
using ActorSsgi.FunctionalTests.Fixtures;

namespace ActorSsgi.FunctionalTests.Http2;

[Collection(Http2ServerCollection.Name)]
public sealed class H2cSpec(Http2Server fixture) : IDisposable
{
    private readonly HttpClient _client = fixture.CreateClient(fixture.H2c, HttpVersion.Version20);

    [Fact]
    public async Task Plaintext_and_json_are_served_over_prior_knowledge_h2c()
    {
        using var plaintext = await _client.GetAsync("/plaintext");
        using var json = await _client.GetAsync("/json");

        Assert.Equal(HttpVersion.Version20, plaintext.Version);
        Assert.Equal("Hello, World!", await plaintext.Content.ReadAsStringAsync());
        Assert.Equal("ActorSsgi", string.Join(" ", plaintext.Headers.GetValues("Server")));
        Assert.NotNull(plaintext.Headers.Date);
        Assert.Equal(HttpVersion.Version20, json.Version);
        Assert.Equal("""{"message":"Hello, World!"}""", await json.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_body_larger_than_the_flow_control_windows_streams_back_byte_exact_over_h2c()
    {
        var body = Http.StreamSpec.RandomBytes(8 * 1024 * 1024 + 11);

        using var response = await _client.PostAsync("/stream", new DuplexContent(body));

        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.Equal(body.Length, response.DeclaredContentLength());
        var echoed = await response.Content.ReadAsByteArrayAsync();
        Assert.True(body.AsSpan().SequenceEqual(echoed), "the echoed body differs from the one sent");
    }

    [Fact]
    public async Task A_body_of_unknown_length_streams_back_over_h2c_without_content_length()
    {
        var body = Http.StreamSpec.RandomBytes(3 * 1024 * 1024 + 5);

        using var response = await _client.PostAsync("/stream", new UnknownLengthContent(body));
        var echoed = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.Null(response.DeclaredContentLength());
        Assert.True(body.AsSpan().SequenceEqual(echoed), "the echoed body differs from the one sent");
    }

    [Fact]
    public async Task An_http1_request_to_the_http2_only_endpoint_is_refused()
    {
        await using var connection = await RawHttpConnection.ConnectAsync(DemoServer.EndPointOf(fixture.H2c));

        await connection.SendAsync("GET /plaintext HTTP/1.1\r\nHost: t\r\n\r\n");
        var reply = await connection.ReadToEndAsync();

        // Kestrel recognises an HTTP/1.x request on an h2-only endpoint, answers 400 without running the app, closes.
        var text = System.Text.Encoding.ASCII.GetString(reply);
        Assert.StartsWith("HTTP/1.1 400 ", text);
        Assert.DoesNotContain("Hello, World!", text);
    }

    [Fact]
    public async Task Concurrent_requests_share_one_connection_as_parallel_streams()
    {
        await _client.GetAsync("/plaintext"); // open the connection
        var watch = Stopwatch.StartNew();

        var slow = Enumerable.Range(0, 8).Select(_ => _client.GetStringAsync("/slow?ms=500")).ToArray();
        var echoes = Enumerable.Range(0, 8).Select(i => _client.GetByteArrayAsync($"/echo?stream={i}")).ToArray();
        var slowBodies = await Task.WhenAll(slow);
        var echoBodies = await Task.WhenAll(echoes);
        watch.Stop();

        Assert.All(slowBodies, body => Assert.Equal("slept 500 ms", body));
        var parsed = echoBodies.Select(Echo.Parse).ToArray();
        Assert.Equal(Enumerable.Range(0, 8).Select(i => $"stream={i}"), parsed.Select(e => e.QueryString));
        // One TCP connection: every stream saw the same client port.
        Assert.Single(parsed.Select(e => e.RemoteAddress).Distinct());
        // Eight 500 ms waits one after another would take 4 s; as parallel streams they overlap.
        Assert.True(watch.ElapsedMilliseconds < 2_000, $"8 concurrent 500 ms streams took {watch.ElapsedMilliseconds} ms");
    }

    public void Dispose() => _client.Dispose();
}
