using System.Net;
using System.Net.Http.Headers;
using ActorSsgi.FunctionalTests.Fixtures;

namespace ActorSsgi.FunctionalTests.Http;

[Collection(DemoServerCollection.Name)]
public sealed class EchoSpec(SharedDemoServer shared) : IDisposable
{
    private readonly HttpClient _client = shared.Server.CreateClient();

    [Fact]
    public async Task Echo_reports_the_type_method_decoded_path_and_raw_query_string()
    {
        var echo = await GetEchoAsync("/echo/a%20b/caf%C3%A9?x=1&y=%20z&flag&e=%C3%A9");

        Assert.Equal("http", echo.Type);
        Assert.Equal("GET", echo.Method);
        Assert.Equal("/echo/a b/café", echo.Path);
        Assert.Equal("x=1&y=%20z&flag&e=%C3%A9", echo.QueryString);
        Assert.Equal("", echo.BodyBase64);
    }

    [Fact]
    public async Task Echo_without_a_query_reports_an_empty_query_string()
    {
        var plain = await GetEchoAsync("/echo");
        var bareQuestionMark = await GetEchoAsync("/echo?");

        Assert.Equal("/echo", plain.Path);
        Assert.Equal("", plain.QueryString);
        Assert.Equal("", bareQuestionMark.QueryString);
    }

    [Fact]
    public async Task Echo_reports_the_server_and_remote_addresses_of_the_real_socket()
    {
        await using var connection = await shared.Server.ConnectAsync();
        await connection.SendAsync("GET /echo HTTP/1.1\r\nHost: test\r\n\r\n");
        var echo = Echo.Parse((await connection.ReadResponseAsync()).Body);

        Assert.Equal($"127.0.0.1:{connection.RemoteEndPoint.Port}", echo.ServerAddress);
        Assert.Equal($"127.0.0.1:{connection.LocalEndPoint.Port}", echo.RemoteAddress);
        Assert.Equal(shared.Server.EndPoint.Port, connection.RemoteEndPoint.Port);
    }

    [Fact]
    public async Task Keep_alive_requests_on_two_interleaved_connections_each_report_their_own_connection()
    {
        // The server looks a connection's features and addresses up on its first request and reuses them after:
        // requests alternating between two sockets must never see the other socket's addresses or responses.
        await using var first = await shared.Server.ConnectAsync();
        await using var second = await shared.Server.ConnectAsync();
        foreach (var round in Enumerable.Range(0, 3))
        {
            foreach (var connection in new[] { first, second })
            {
                await connection.SendAsync($"GET /echo?round={round} HTTP/1.1\r\nHost: test\r\n\r\n");
                var echo = Echo.Parse((await connection.ReadResponseAsync()).Body);
                Assert.Equal($"127.0.0.1:{connection.LocalEndPoint.Port}", echo.RemoteAddress);
                Assert.Equal($"round={round}", echo.QueryString);

                await connection.SendAsync("DELETE /plaintext HTTP/1.1\r\nHost: test\r\n\r\n");
                var refused = await connection.ReadResponseAsync();
                Assert.Equal(405, refused.Status);
                Assert.Equal("GET, HEAD", refused.Header("allow"));
            }
        }

        Assert.NotEqual(first.LocalEndPoint.Port, second.LocalEndPoint.Port);
    }

    [Fact]
    public async Task Echo_headers_have_lowercase_names_and_repeated_headers_joined_with_comma_space()
    {
        await using var connection = await shared.Server.ConnectAsync();
        await connection.SendAsync(
            "GET /echo HTTP/1.1\r\nHost: test\r\nX-Mixed-Case: Value Stays\r\nX-Repeat: one\r\nX-REPEAT: two\r\nx-repeat: three\r\n\r\n");
        var echo = Echo.Parse((await connection.ReadResponseAsync()).Body);

        Assert.All(echo.Headers.Keys, name => Assert.Equal(name.ToLowerInvariant(), name));
        Assert.Equal("Value Stays", echo.Headers["x-mixed-case"]);
        Assert.Equal("one, two, three", echo.Headers["x-repeat"]);
        Assert.Equal("test", echo.Headers["host"]);
    }

    [Fact]
    public async Task Echo_returns_the_request_body_as_base64_for_any_method()
    {
        var body = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        using var request = new HttpRequestMessage(HttpMethod.Put, "/echo/upload") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");

        using var response = await _client.SendAsync(request);
        var echo = Echo.Parse(await response.Content.ReadAsByteArrayAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("PUT", echo.Method);
        Assert.Equal("/echo/upload", echo.Path);
        Assert.Equal(body, echo.Body);
        Assert.Equal("256", echo.Headers["content-length"]);
        Assert.Equal("application/octet-stream", echo.Headers["content-type"]);
    }

    [Fact]
    public async Task Echo_passes_unusual_methods_through_as_sent()
    {
        using var request = new HttpRequestMessage(new HttpMethod("PROPFIND"), "/echo");

        using var response = await _client.SendAsync(request);
        var echo = Echo.Parse(await response.Content.ReadAsByteArrayAsync());

        Assert.Equal("PROPFIND", echo.Method);
    }

    private async Task<Echo> GetEchoAsync(string target)
    {
        using var response = await _client.GetAsync(target);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return Echo.Parse(await response.Content.ReadAsByteArrayAsync());
    }

    public void Dispose() => _client.Dispose();
}
