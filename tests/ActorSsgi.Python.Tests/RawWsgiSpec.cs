using System.Net;

namespace ActorSsgi.Python.Tests;

/// <summary>PEP 3333's rules that Flask does not exercise, with plain WSGI callables (samples/raw_wsgi.py).</summary>
[Collection(PythonCollection.Name)]
public sealed class RawWsgiSpec(RawWsgiServer raw)
{
    private readonly HttpClient _client = raw.Server.CreateClient();

    [Fact]
    public async Task Data_given_to_write_must_precede_the_returned_iterable()
    {
        using var response = await _client.GetAsync("/write");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("written then returned", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_iterables_close_must_be_called_once_the_body_was_sent()
    {
        var name = "c" + Guid.NewGuid().ToString("N")[..8];
        using (var response = await _client.GetAsync("/close?" + name))
        {
            Assert.Equal("abc", await response.Content.ReadAsStringAsync());
        }

        using var closed = await _client.GetAsync("/closed");
        Assert.Contains(name, (await closed.Content.ReadAsStringAsync()).Split(','));
    }

    [Fact]
    public async Task Start_response_with_exc_info_before_the_body_must_replace_the_status()
    {
        using var response = await _client.GetAsync("/exc-info");
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("replaced", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task PATH_INFO_must_be_the_paths_bytes_decoded_as_latin_1()
    {
        using var response = await _client.GetAsync("/path?x");
        Assert.Equal("/path", await response.Content.ReadAsStringAsync());
        using var unicode = await _client.GetAsync("/%C3%A9t%C3%A9");
        Assert.Equal(HttpStatusCode.NotFound, unicode.StatusCode); // routed by the latin-1 string, as PEP 3333 says
    }

    [Fact]
    public async Task An_exception_before_the_response_must_be_a_500_and_the_server_must_keep_serving()
    {
        using (var failed = await _client.GetAsync("/raise"))
        {
            Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
            Assert.Equal(0, failed.Content.Headers.ContentLength);
        }

        using var next = await _client.GetAsync("/write");
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public async Task An_exception_after_the_body_started_must_abort_the_response_and_the_server_must_keep_serving()
    {
        // Many times: whether the abort wins the race with the flushed status is up to the sockets, but a 500 (the
        // answer for a failure before anything was sent) or a complete body is always wrong.
        for (var i = 0; i < 50; i++)
        {
            var outcome = await Record.ExceptionAsync(async () =>
            {
                using var response = await _client.GetAsync("/raise-mid-body", HttpCompletionOption.ResponseHeadersRead);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                await response.Content.ReadAsStringAsync();
            });
            Assert.IsType<HttpRequestException>(outcome, exactMatch: false);
        }

        using var next = await _client.GetAsync("/write");
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }
}
