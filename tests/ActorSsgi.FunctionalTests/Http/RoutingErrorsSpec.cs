using System.Net;
using ActorSsgi.FunctionalTests.Fixtures;

namespace ActorSsgi.FunctionalTests.Http;

[Collection(DemoServerCollection.Name)]
public sealed class RoutingErrorsSpec(SharedDemoServer shared) : IDisposable
{
    private readonly HttpClient _client = shared.Server.CreateClient();

    [Theory]
    [InlineData("/nope")]
    [InlineData("/plaintext/extra")]
    [InlineData("/echoes")]
    public async Task An_unknown_path_gets_404(string path)
    {
        using var response = await _client.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("not found", await response.Content.ReadAsStringAsync());
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("POST", "/plaintext", "GET, HEAD")]
    [InlineData("DELETE", "/json", "GET, HEAD")]
    [InlineData("PUT", "/big?bytes=1", "GET, HEAD")]
    [InlineData("GET", "/stream", "POST")]
    public async Task A_wrong_method_on_a_known_path_gets_405_with_allow(string method, string target, string allow)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), target);
        if (method is "POST" or "PUT")
        {
            request.Content = new StringContent("x");
        }

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(allow, string.Join(", ", response.Content.Headers.Allow));
        Assert.Equal("method not allowed", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/big?bytes=abc")]
    [InlineData("/big?bytes=-1")]
    [InlineData("/big?bytes=1.5")]
    [InlineData("/big")]
    public async Task A_bad_query_gets_400_with_a_reason(string target)
    {
        using var response = await _client.GetAsync(target);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("bytes must be a whole number", await response.Content.ReadAsStringAsync());
    }

    public void Dispose() => _client.Dispose();
}
