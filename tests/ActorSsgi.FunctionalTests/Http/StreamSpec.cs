using System.Net;
using System.Net.Http.Headers;
using ActorSsgi.FunctionalTests.Fixtures;

namespace ActorSsgi.FunctionalTests.Http;

[Collection(DemoServerCollection.Name)]
public sealed class StreamSpec(SharedDemoServer shared) : IDisposable
{
    private readonly HttpClient _client = shared.Server.CreateClient();

    [Fact]
    public async Task A_body_with_content_length_streams_back_byte_exact_with_the_same_content_length()
    {
        var body = RandomBytes(1024 * 1024 + 3);
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-test");

        using var response = await _client.PostAsync("/stream", content);
        var echoed = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(body.Length, response.DeclaredContentLength());
        Assert.NotEqual(true, response.Headers.TransferEncodingChunked);
        Assert.Equal("application/x-test", response.Content.Headers.ContentType?.MediaType);
        Assert.True(body.AsSpan().SequenceEqual(echoed), "the echoed body differs from the one sent");
    }

    [Fact]
    public async Task A_chunked_body_streams_back_byte_exact_as_a_chunked_response()
    {
        // Small enough to sit in the socket buffers: HttpClient writes the whole body before it reads the response.
        var body = RandomBytes(300_001);
        using var content = new UnknownLengthContent(body);

        using var response = await _client.PostAsync("/stream", content);
        var echoed = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.TransferEncodingChunked);
        Assert.Null(response.DeclaredContentLength());
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.True(body.AsSpan().SequenceEqual(echoed), "the echoed body differs from the one sent");
    }

    [Fact]
    public async Task An_empty_body_streams_back_as_an_empty_response_with_content_length_zero()
    {
        using var content = new ByteArrayContent([]);

        using var response = await _client.PostAsync("/stream", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, response.DeclaredContentLength());
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    internal static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        return bytes;
    }

    public void Dispose() => _client.Dispose();
}
