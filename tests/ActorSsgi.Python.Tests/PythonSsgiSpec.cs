using System.Net;
using System.Text;
using System.Text.Json;

namespace ActorSsgi.Python.Tests;

/// <summary>The seed's Python ssgi API (ssgi_app.py, an SSGIFramework object) served over real sockets: HTTP.</summary>
[Collection(PythonCollection.Name)]
public sealed class PythonSsgiSpec(SsgiAppServer ssgi) : IClassFixture<SsgiAppServer>
{
    private readonly HttpClient _client = ssgi.Server.CreateClient();

    [Fact]
    public async Task A_synchronous_handler_must_answer_plaintext_with_its_length()
    {
        using var response = await _client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Hello, World!", await response.Content.ReadAsStringAsync());
        Assert.Equal(13, response.Content.Headers.ContentLength);
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task A_json_route_must_answer_its_document()
    {
        using var response = await _client.GetAsync("/json");
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Hello, World!", json.RootElement.GetProperty("message").GetString());
    }

    [Fact]
    public async Task An_async_handler_must_echo_the_body_it_read_with_get_data()
    {
        var body = new byte[1024 * 1024 + 7];
        new Random(5).NextBytes(body);
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new("application/x-test");
        using var response = await _client.PostAsync("/echo", content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(body.Length.ToString(), response.Headers.GetValues("x-length").Single());
        Assert.Equal("application/x-test", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(body, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_post_without_a_body_must_read_as_none_and_echo_nothing()
    {
        using var response = await _client.PostAsync("/echo", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("0", response.Headers.GetValues("x-length").Single());
    }

    [Fact]
    public async Task A_chunked_upload_must_arrive_whole_through_get_chunk()
    {
        var body = new byte[3 * 1024 * 1024 + 11];
        new Random(7).NextBytes(body);
        using var content = new StreamContent(new MemoryStream(body));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/upload") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        using var response = await _client.SendAsync(request);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(body.Length, json.RootElement.GetProperty("bytes").GetInt32());
        Assert.True(json.RootElement.GetProperty("chunks").GetInt32() > 1);
    }

    [Fact]
    public async Task Send_chunk_awaited_for_each_line_must_stream_a_chunked_body_in_order()
    {
        using var response = await _client.GetAsync("/stream?n=300", HttpCompletionOption.ResponseHeadersRead);
        Assert.True(response.Headers.TransferEncodingChunked);
        Assert.Equal(string.Concat(Enumerable.Range(0, 300).Select(i => $"line {i}\n")), await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Send_chunk_with_a_total_size_must_set_content_length_and_end_when_it_is_met()
    {
        using var response = await _client.GetAsync("/sized");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3000, response.Content.Headers.ContentLength);
        Assert.Equal(new string('a', 1000) + new string('b', 1000) + new string('c', 1000), await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Get_header_must_return_one_value_none_for_a_missing_one_and_a_lowercase_dict_without_a_name()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/headers?a=1&b=two");
        request.Headers.Add("X-Custom", "hello");
        using var response = await _client.SendAsync(request);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement;
        Assert.Equal("hello", root.GetProperty("one").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("missing").ValueKind);
        Assert.Equal("hello", root.GetProperty("all").GetProperty("x-custom").GetString());
        Assert.Equal(ssgi.Server.BaseAddress.Authority, root.GetProperty("all").GetProperty("host").GetString());
        Assert.Equal("http", root.GetProperty("type").GetString());
        Assert.Equal("GET", root.GetProperty("method").GetString());
        Assert.Equal("a=1&b=two", root.GetProperty("query").GetString());
        Assert.StartsWith("127.0.0.1:", root.GetProperty("remote").GetString());
        Assert.Equal(ssgi.Server.BaseAddress.Authority, root.GetProperty("server").GetString());
        Assert.True(root.GetProperty("typed").GetBoolean()); // res is an ssgi.SSGIHttpResponse
    }

    [Fact]
    public async Task Get_header_must_raise_headers_expired_after_run_async()
    {
        using var response = await _client.GetAsync("/late-header");
        Assert.Equal("expired", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/fail")]
    [InlineData("/fail-async")]
    public async Task A_handler_that_raises_must_answer_500_and_the_server_must_keep_serving(string path)
    {
        using (var failed = await _client.GetAsync(path))
        {
            Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        }

        using var next = await _client.GetAsync("/");
        Assert.Equal("Hello, World!", await next.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task On_aborted_must_keep_the_response_open_and_fire_when_the_client_goes_away()
    {
        var name = "hold-" + Guid.NewGuid().ToString("N");
        using (var held = await _client.GetAsync("/hold?" + name, HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal(HttpStatusCode.OK, held.StatusCode);
            using var stream = await held.Content.ReadAsStreamAsync();
            var first = new byte[8];
            Assert.Equal(8, await stream.ReadAtLeastAsync(first, 8));
            Assert.Equal("started\n", Encoding.UTF8.GetString(first));
        }

        // Disposing the response mid-body drops the connection; the abort reaches Python on the loop.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        JsonElement? entry = null;
        while (entry is null)
        {
            timeout.Token.ThrowIfCancellationRequested();
            using var aborts = JsonDocument.Parse(await _client.GetStringAsync("/aborts", timeout.Token));
            entry = aborts.RootElement.EnumerateArray().Where(e => e.GetProperty("name").GetString() == name).Select(e => (JsonElement?)e.Clone()).FirstOrDefault();
            if (entry is null)
            {
                await Task.Delay(20, timeout.Token);
            }
        }

        Assert.True(entry.Value.GetProperty("aborted").GetBoolean());
    }

    [Fact]
    public async Task Get_supported_must_receive_every_interface_the_server_offers()
    {
        using var response = await _client.GetAsync("/offered");
        var offered = JsonSerializer.Deserialize<Dictionary<string, string>>(await response.Content.ReadAsStringAsync());
        Assert.Equal(new Dictionary<string, string> { ["ssgi"] = "1.0", ["wsgi"] = "1.0.1", ["asgi"] = "3.0", ["rsgi"] = "1.6" }, offered);
    }

    [Fact]
    public async Task Concurrent_requests_must_each_get_their_own_answer()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 64).Select(async i =>
        {
            using var response = await _client.GetAsync($"/headers?i={i}");
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return json.RootElement.GetProperty("query").GetString();
        }));
        Assert.Equal(Enumerable.Range(0, 64).Select(i => $"i={i}"), results);
    }

    [Fact]
    public async Task An_unknown_route_must_answer_the_status_the_handler_sent()
    {
        using var response = await _client.GetAsync("/nowhere");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("no route /nowhere", Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync()));
    }

    [Fact]
    public async Task A_framework_asking_for_an_interface_not_offered_must_fail_at_start_naming_the_offered_ones()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => PythonServer.StartAsync("ssgi_app:unoffered", PythonInterfaces.Ssgi));
        Assert.Contains("'uwsgi'", error.Message);
        Assert.Contains("ssgi 1.0, wsgi 1.0.1, asgi 3.0, rsgi 1.6", error.Message);
    }

    [Fact]
    public void Is_ssgi_framework_must_tell_a_get_supported_object_from_a_plain_application()
    {
        var options = new PythonOptions { AppDir = PythonServer.SamplesDir };
        Assert.True(PythonFramework.IsSsgiFramework("ssgi_app:app", options));
        Assert.False(PythonFramework.IsSsgiFramework("raw_wsgi:app", options));
    }

    [Fact]
    public void Loading_a_plain_application_as_an_ssgi_framework_must_fail_with_a_one_line_reason()
    {
        var options = new PythonOptions { AppDir = PythonServer.SamplesDir };
        var error = Assert.Throws<PythonLoadException>(() => Ssgi.PythonSsgiFramework.Load("raw_wsgi:app", options));
        Assert.Contains("has no get_supported method", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }
}
