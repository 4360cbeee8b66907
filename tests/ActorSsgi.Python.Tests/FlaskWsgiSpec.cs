using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace ActorSsgi.Python.Tests;

/// <summary>A real Flask 2.2 app (Debian's python3-flask) served as WSGI, driven over real sockets with HttpClient.</summary>
[Collection(PythonCollection.Name)]
public sealed class FlaskWsgiSpec(FlaskServer flask)
{
    private readonly HttpClient _client = flask.Server.CreateClient();

    [Fact]
    public async Task A_Flask_route_must_answer_with_its_body_and_content_length()
    {
        using var response = await _client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Hello, World!", await response.Content.ReadAsStringAsync());
        Assert.Equal(13, response.Content.Headers.ContentLength);
        Assert.StartsWith("text/html", response.Content.Headers.ContentType!.ToString());
    }

    [Fact]
    public async Task The_query_string_must_reach_Flask_undecoded_and_be_parsed_by_it()
    {
        using var json = await GetJson("/query?a=1&a=2&b=x%20y");
        Assert.Equal("a=1&a=2&b=x%20y", json.RootElement.GetProperty("query_string").GetString());
        Assert.Equal(2, json.RootElement.GetProperty("args").GetProperty("a").GetArrayLength());
        Assert.Equal("x y", json.RootElement.GetProperty("args").GetProperty("b")[0].GetString());
    }

    [Fact]
    public async Task A_JSON_POST_must_be_read_from_wsgi_input_and_answered_as_JSON()
    {
        using var response = await _client.PostAsJsonAsync("/json", new { items = new[] { 1, 2, 3 }, name = "x" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(3, json.RootElement.GetProperty("count").GetInt32());
        Assert.Equal("x", json.RootElement.GetProperty("received").GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_large_chunked_upload_must_be_streamed_through_wsgi_input_whole()
    {
        var body = new byte[3 * 1024 * 1024 + 17];
        new Random(7).NextBytes(body);
        using var content = new StreamContent(new MemoryStream(body));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/upload") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        using var response = await _client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(body.Length, json.RootElement.GetProperty("bytes").GetInt32());
    }

    [Fact]
    public async Task A_generator_body_must_be_streamed_chunked_in_order()
    {
        using var response = await _client.GetAsync("/stream?n=200", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.TransferEncodingChunked);
        var text = await response.Content.ReadAsStringAsync();
        var expected = string.Concat(Enumerable.Range(0, 200).Select(i => $"line {i}\n"));
        Assert.Equal(expected, text);
    }

    [Fact]
    public async Task Request_headers_must_reach_Flask_and_response_headers_including_repeated_ones_must_come_back()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/headers");
        request.Headers.Add("X-Custom", "hello");
        using var response = await _client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("hello", response.Headers.GetValues("X-Echo").Single());
        var cookies = response.Headers.GetValues("Set-Cookie").ToArray();
        Assert.Equal(2, cookies.Length);
        Assert.Contains(cookies, c => c.StartsWith("a=1"));
        Assert.Contains(cookies, c => c.StartsWith("b=2"));
    }

    [Theory]
    [InlineData(202)]
    [InlineData(404)]
    [InlineData(418)]
    [InlineData(503)]
    public async Task The_status_code_the_app_chooses_must_be_the_one_on_the_wire(int code)
    {
        using var response = await _client.GetAsync($"/status/{code}");
        Assert.Equal(code, (int)response.StatusCode);
        Assert.Equal($"status {code}", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_unknown_route_must_get_Flasks_404()
    {
        using var response = await _client.GetAsync("/no-such-route");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task The_environ_must_carry_every_key_PEP_3333_requires()
    {
        using var json = await GetJson("/environ?x=1");
        var root = json.RootElement;
        Assert.Equal("GET", root.GetProperty("REQUEST_METHOD").GetString());
        Assert.Equal("", root.GetProperty("SCRIPT_NAME").GetString());
        Assert.Equal("/environ", root.GetProperty("PATH_INFO").GetString());
        Assert.Equal("x=1", root.GetProperty("QUERY_STRING").GetString());
        Assert.Equal("127.0.0.1", root.GetProperty("SERVER_NAME").GetString());
        Assert.Equal(flask.Server.BaseAddress.Port.ToString(), root.GetProperty("SERVER_PORT").GetString());
        Assert.Equal("HTTP/1.1", root.GetProperty("SERVER_PROTOCOL").GetString());
        Assert.Equal("http", root.GetProperty("wsgi.url_scheme").GetString());
        Assert.False(root.GetProperty("wsgi.multithread").GetBoolean());
        Assert.False(root.GetProperty("wsgi.multiprocess").GetBoolean());
        Assert.False(root.GetProperty("wsgi.run_once").GetBoolean());
        Assert.Equal("[1,0]", root.GetProperty("wsgi.version").GetRawText());
        Assert.True(root.GetProperty("has_input").GetBoolean());
        Assert.True(root.GetProperty("has_errors").GetBoolean());
    }

    [Fact]
    public async Task An_exception_in_a_route_must_be_a_500_and_the_server_must_keep_serving()
    {
        using (var failed = await _client.GetAsync("/fail"))
        {
            Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        }

        using var next = await _client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal("Hello, World!", await next.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Concurrent_requests_must_all_be_answered_correctly()
    {
        var tasks = Enumerable.Range(0, 64).Select(async i =>
        {
            using var response = await _client.GetAsync($"/query?i={i}");
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return json.RootElement.GetProperty("args").GetProperty("i")[0].GetString();
        });
        var results = await Task.WhenAll(tasks);
        Assert.Equal(Enumerable.Range(0, 64).Select(i => i.ToString()), results);
    }

    private async Task<JsonDocument> GetJson(string uri)
    {
        using var response = await _client.GetAsync(uri);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync()));
    }
}
