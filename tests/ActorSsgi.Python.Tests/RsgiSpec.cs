using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace ActorSsgi.Python.Tests;

/// <summary>A plain RSGI application (samples/rsgi_app.py) served as rsgi over real sockets, HTTP and WebSockets.</summary>
[Collection(PythonCollection.Name)]
public sealed class RsgiSpec(RsgiServer rsgi)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly HttpClient _client = rsgi.Server.CreateClient();

    [Fact]
    public async Task A_response_str_must_arrive_as_plain_text_with_its_length()
    {
        using var response = await _client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Hello, World!", await response.Content.ReadAsStringAsync());
        Assert.Equal(13, response.Content.Headers.ContentLength);
        Assert.Equal("text/plain; charset=utf-8", response.Content.Headers.ContentType?.ToString());
    }

    [Fact]
    public async Task A_response_bytes_must_arrive_as_the_json_object_it_carries()
    {
        using var response = await _client.GetAsync("/json");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Hello, World!", json.RootElement.GetProperty("message").GetString());
        Assert.Equal("1.6", json.RootElement.GetProperty("rsgi_version").GetString());
    }

    [Fact]
    public async Task Awaiting_the_protocol_must_give_the_whole_posted_body()
    {
        using var response = await _client.PostAsync("/echo", new StringContent("ping body"));
        Assert.Equal("9", response.Headers.GetValues("x-length").Single());
        Assert.Equal("ping body", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_one_mebibyte_chunked_upload_must_be_echoed_whole_through_async_iteration()
    {
        var body = new byte[1024 * 1024];
        new Random(14).NextBytes(body);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/upload") { Content = new StreamContent(new MemoryStream(body)) };
        request.Headers.TransferEncodingChunked = true;
        using var response = await _client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.TransferEncodingChunked);
        Assert.Equal(body, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_response_stream_must_arrive_chunked_and_whole_in_order()
    {
        using var response = await _client.GetAsync("/stream", HttpCompletionOption.ResponseHeadersRead);
        Assert.True(response.Headers.TransferEncodingChunked);
        var expected = string.Concat(Enumerable.Range(0, 5).Select(i => $"chunk {i}\n")) + "done\n";
        Assert.Equal(expected, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_response_file_must_send_the_file_next_to_the_sample()
    {
        using var response = await _client.GetAsync("/file");
        var expected = await File.ReadAllBytesAsync(Path.Combine(PythonServer.SamplesDir, "rsgi_file.txt"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected.Length, response.Content.Headers.ContentLength);
        Assert.Equal(expected, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_response_file_of_a_missing_file_must_be_a_404()
    {
        using var response = await _client.GetAsync("/missing-file");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task A_response_file_range_must_send_the_bytes_from_start_up_to_but_not_including_end()
    {
        using var response = await _client.GetAsync("/file-range?3-9");
        var file = await File.ReadAllBytesAsync(Path.Combine(PythonServer.SamplesDir, "rsgi_file.txt"));
        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(file[3..9], await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Client_disconnect_must_resolve_when_the_client_goes_away()
    {
        using (var waiting = await _client.GetAsync("/wait-for-disconnect", HttpCompletionOption.ResponseHeadersRead))
        {
            // The first chunk proves the app is awaiting client_disconnect; disposing the unfinished body drops the connection.
            await using var body = await waiting.Content.ReadAsStreamAsync();
            var first = new byte[8];
            Assert.Equal(8, await body.ReadAtLeastAsync(first, 8));
            Assert.Equal("waiting\n", Encoding.UTF8.GetString(first));
        }

        // The route waits (at most 5 s) for the watcher's event, so no polling is needed.
        using var response = await _client.GetAsync("/disconnected");
        Assert.Equal("yes", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_scope_must_carry_query_string_addresses_and_case_insensitive_headers()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/info?a=1&b=two%20words");
        request.Headers.Add("X-Custom", "hello");
        using var response = await _client.SendAsync(request);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement;
        Assert.Equal("http", root.GetProperty("proto").GetString());
        Assert.Equal("1.6", root.GetProperty("rsgi_version").GetString());
        Assert.Equal("1.1", root.GetProperty("http_version").GetString());
        Assert.Equal("GET", root.GetProperty("method").GetString());
        Assert.Equal("http", root.GetProperty("scheme").GetString());
        Assert.Equal("/info", root.GetProperty("path").GetString());
        Assert.Equal("a=1&b=two%20words", root.GetProperty("query_string").GetString());
        Assert.Equal($"127.0.0.1:{rsgi.Server.BaseAddress.Port}", root.GetProperty("server").GetString());
        Assert.StartsWith("127.0.0.1:", root.GetProperty("client").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("authority").ValueKind);
        Assert.Equal("hello", root.GetProperty("custom").GetString());
        Assert.Equal(["hello"], root.GetProperty("custom_all").EnumerateArray().Select(e => e.GetString()));
        Assert.True(root.GetProperty("has_host").GetBoolean());
        Assert.Contains("x-custom", root.GetProperty("keys").EnumerateArray().Select(e => e.GetString()));
        Assert.True(root.GetProperty("initialized").GetBoolean(), "__rsgi_init__ must be called with the loop before it runs");
    }

    [Fact]
    public async Task Repeated_response_headers_must_all_arrive()
    {
        using var response = await _client.GetAsync("/info");
        Assert.Equal(["a=1", "b=2"], response.Headers.GetValues("set-cookie"));
    }

    [Fact]
    public async Task A_response_empty_must_send_its_status_and_headers_without_a_body()
    {
        using var response = await _client.GetAsync("/empty");
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("yes", response.Headers.GetValues("x-empty").Single());
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task An_exception_before_the_response_must_be_a_500_and_the_server_must_keep_serving()
    {
        using (var failed = await _client.GetAsync("/fail"))
        {
            Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        }

        using var next = await _client.GetAsync("/");
        Assert.Equal("Hello, World!", await next.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_exception_after_a_stream_started_must_abort_the_response_and_the_server_must_keep_serving()
    {
        // Many times: a reset may reach the client before or after the headers, but a 500 (the answer for a failure
        // before anything was sent) or a body that ends cleanly is always wrong.
        for (var i = 0; i < 50; i++)
        {
            var outcome = await Record.ExceptionAsync(async () =>
            {
                using var response = await _client.GetAsync("/stream-fail", HttpCompletionOption.ResponseHeadersRead);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                await response.Content.ReadAsStringAsync();
            });
            Assert.IsType<HttpRequestException>(outcome, exactMatch: false);
        }

        using var next = await _client.GetAsync("/");
        Assert.Equal("Hello, World!", await next.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Concurrent_requests_must_each_get_their_own_scope()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 64).Select(async i =>
        {
            using var response = await _client.GetAsync($"/info?i={i}");
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return json.RootElement.GetProperty("query_string").GetString();
        }));
        Assert.Equal(Enumerable.Range(0, 64).Select(i => $"i={i}"), results);
    }

    [Fact]
    public async Task A_websocket_must_echo_text_as_text_and_bytes_as_bytes()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        using var ws = await ConnectAsync("/ws", timeout.Token);
        await ws.SendAsync(Encoding.UTF8.GetBytes("héllo"), WebSocketMessageType.Text, true, timeout.Token);
        var (type, data) = await ReceiveAsync(ws, timeout.Token);
        Assert.Equal(WebSocketMessageType.Text, type);
        Assert.Equal("héllo", Encoding.UTF8.GetString(data));

        byte[] binary = [0, 1, 2, 255, 254];
        await ws.SendAsync(binary, WebSocketMessageType.Binary, true, timeout.Token);
        (type, data) = await ReceiveAsync(ws, timeout.Token);
        Assert.Equal(WebSocketMessageType.Binary, type);
        Assert.Equal(binary, data);

        await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, ws.CloseStatus);
    }

    [Fact]
    public async Task A_websocket_exception_after_accept_must_close_with_1011_and_the_server_must_keep_serving()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        using (var ws = await ConnectAsync("/ws-fail", timeout.Token))
        {
            await ws.SendAsync("boom"u8.ToArray(), WebSocketMessageType.Text, true, timeout.Token);
            var (type, _) = await ReceiveAsync(ws, timeout.Token);
            Assert.Equal(WebSocketMessageType.Close, type);
            Assert.Equal(WebSocketCloseStatus.InternalServerError, ws.CloseStatus);
        }

        using var next = await ConnectAsync("/ws", timeout.Token);
        Assert.Equal(WebSocketState.Open, next.State);
    }

    [Fact]
    public async Task Closing_a_websocket_before_accept_must_reject_the_upgrade_with_that_status()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        using var ws = new ClientWebSocket();
        ws.Options.CollectHttpResponseDetails = true;
        var uri = new Uri(new Uri("ws://" + rsgi.Server.BaseAddress.Authority), "/ws-reject");
        await Assert.ThrowsAsync<WebSocketException>(() => ws.ConnectAsync(uri, timeout.Token));
        Assert.Equal(HttpStatusCode.Forbidden, ws.HttpStatusCode);
    }

    private async Task<ClientWebSocket> ConnectAsync(string path, CancellationToken cancellation)
    {
        var ws = new ClientWebSocket();
        await ws.ConnectAsync(new Uri(new Uri("ws://" + rsgi.Server.BaseAddress.Authority), path), cancellation);
        return ws;
    }

    private static async Task<(WebSocketMessageType Type, byte[] Data)> ReceiveAsync(WebSocket ws, CancellationToken cancellation)
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await ws.ReceiveAsync(buffer, cancellation);
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return (result.MessageType, message.ToArray());
            }
        }
    }
}
