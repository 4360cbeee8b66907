using System.Net;
using System.Text;
using ActorSsgi.FunctionalTests.Fixtures;

namespace ActorSsgi.FunctionalTests.Http;

[Collection(DemoServerCollection.Name)]
public sealed class PlaintextAndJsonSpec(SharedDemoServer shared) : IDisposable
{
    private readonly HttpClient _client = shared.Server.CreateClient();

    [Fact]
    public async Task The_index_page_is_html_listing_the_demo_routes()
    {
        using var response = await _client.GetAsync("/");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal(Encoding.UTF8.GetByteCount(body), response.DeclaredContentLength());
        Assert.StartsWith("<!doctype html>", body);
        foreach (var route in new[] { "/plaintext", "/json", "/echo", "/stream", "/big", "/status/", "/throw", "/slow", "/aborted-count" })
        {
            Assert.Contains(route, body);
        }
    }

    [Fact]
    public async Task Plaintext_answers_hello_world_as_text_with_server_and_date_headers()
    {
        using var response = await _client.GetAsync("/plaintext");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Hello, World!", await response.Content.ReadAsStringAsync());
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(13, response.DeclaredContentLength());
        Assert.Equal("ActorSsgi", string.Join(" ", response.Headers.GetValues("Server")));
        var date = Assert.IsType<DateTimeOffset>(response.Headers.Date);
        Assert.InRange(date, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
    }

    [Fact]
    public async Task Json_answers_the_hello_world_message()
    {
        using var response = await _client.GetAsync("/json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("""{"message":"Hello, World!"}""", await response.Content.ReadAsStringAsync());
        Assert.Equal(27, response.DeclaredContentLength());
    }

    [Fact]
    public async Task A_head_request_gets_the_headers_of_get_and_no_body()
    {
        await using var connection = await shared.Server.ConnectAsync();
        // The GET right behind the HEAD on the same socket only parses if the HEAD response carried no body bytes.
        await connection.SendAsync("HEAD /plaintext HTTP/1.1\r\nHost: test\r\n\r\nGET /plaintext HTTP/1.1\r\nHost: test\r\n\r\n");

        var head = await connection.ReadResponseAsync(headRequest: true);
        var get = await connection.ReadResponseAsync();

        Assert.Equal(200, head.Status);
        Assert.Equal("13", head.Header("content-length"));
        Assert.Equal("text/plain", head.Header("content-type"));
        Assert.Equal(200, get.Status);
        Assert.Equal("Hello, World!", get.BodyText);
    }

    [Fact]
    public async Task Aborted_count_reports_a_json_number()
    {
        using var response = await _client.GetAsync("/aborted-count");
        var count = await AbortedCount.ReadAsync(_client);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Matches("""^\{"aborted":\d+\}$""", await response.Content.ReadAsStringAsync());
        Assert.True(count >= 0);
    }

    public void Dispose() => _client.Dispose();
}
