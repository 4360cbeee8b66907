using System.Net;
using ActorSsgi.FunctionalTests.Fixtures;

namespace ActorSsgi.FunctionalTests.Http;

[Collection(DemoServerCollection.Name)]
public sealed class BigSpec(SharedDemoServer shared) : IDisposable
{
    private readonly HttpClient _client = shared.Server.CreateClient();

    [Theory]
    [InlineData(1)]
    [InlineData(65_536)]
    [InlineData(5 * 1024 * 1024 + 7)]
    public async Task Big_sends_exactly_the_requested_bytes_with_that_content_length(int bytes)
    {
        using var response = await _client.GetAsync($"/big?bytes={bytes}", HttpCompletionOption.ResponseHeadersRead);
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(bytes, response.DeclaredContentLength());
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(bytes, body.Length);
        // The demo repeats a 64 KiB block of 'a'..'z'.
        for (var i = 0; i < body.Length; i++)
        {
            if (body[i] != (byte)('a' + (i % 65_536 % 26)))
            {
                Assert.Fail($"Byte {i} is {body[i]}, not the demo's pattern.");
            }
        }
    }

    [Fact]
    public async Task Big_with_zero_bytes_sends_an_empty_body_with_content_length_zero()
    {
        using var response = await _client.GetAsync("/big?bytes=0");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, response.DeclaredContentLength());
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    public void Dispose() => _client.Dispose();
}
