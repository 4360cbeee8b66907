using System.Net;
using System.Text.Json;

namespace ActorSsgi.Python.Tests;

/// <summary>A real Starlette 0.26 app (Debian's python3-starlette) served as ASGI over real sockets.</summary>
[Collection(PythonCollection.Name)]
public sealed class StarletteAsgiSpec(StarletteServer starlette)
{
    private readonly HttpClient _client = starlette.Server.CreateClient();

    [Fact]
    public async Task A_Starlette_route_must_answer_with_its_body()
    {
        using var response = await _client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Hello, World!", await response.Content.ReadAsStringAsync());
        Assert.Equal(13, response.Content.Headers.ContentLength);
    }

    [Fact]
    public async Task A_large_chunked_body_must_arrive_whole_through_http_request_messages()
    {
        var body = new byte[2 * 1024 * 1024 + 5];
        new Random(3).NextBytes(body);
        using var content = new StreamContent(new MemoryStream(body));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/echo") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        using var response = await _client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(body.Length.ToString(), response.Headers.GetValues("x-length").Single());
        Assert.Equal(body, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_streaming_response_must_arrive_chunked_in_order()
    {
        using var response = await _client.GetAsync("/stream?n=300", HttpCompletionOption.ResponseHeadersRead);
        Assert.True(response.Headers.TransferEncodingChunked);
        Assert.Equal(string.Concat(Enumerable.Range(0, 300).Select(i => $"line {i}\n")), await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_scope_must_carry_method_path_query_headers_and_client()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/info?a=1&b=two");
        request.Headers.Add("X-Custom", "hello");
        using var response = await _client.SendAsync(request);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement;
        Assert.Equal("GET", root.GetProperty("method").GetString());
        Assert.Equal("/info", root.GetProperty("path").GetString());
        Assert.Equal("two", root.GetProperty("query").GetProperty("b").GetString());
        Assert.Equal("hello", root.GetProperty("header").GetString());
        Assert.Equal("127.0.0.1", root.GetProperty("client").GetString());
    }

    [Fact]
    public async Task An_exception_in_a_route_must_be_a_500_and_the_server_must_keep_serving()
    {
        using (var failed = await _client.GetAsync("/fail"))
        {
            Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        }

        using var next = await _client.GetAsync("/");
        Assert.Equal("Hello, World!", await next.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Concurrent_requests_must_all_be_answered_correctly()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 64).Select(async i =>
        {
            using var response = await _client.GetAsync($"/info?i={i}");
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return json.RootElement.GetProperty("query").GetProperty("i").GetString();
        }));
        Assert.Equal(Enumerable.Range(0, 64).Select(i => i.ToString()), results);
    }
}
