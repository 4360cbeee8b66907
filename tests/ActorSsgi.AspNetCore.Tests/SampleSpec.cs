using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace ActorSsgi.AspNetCore.Tests;

/// <summary>
/// src/ActorSsgi.Samples.AspNetCore over real sockets: an ordinary minimal-API app whose HTTP runs through the
/// aspnetcore interface and whose WebSockets run through ssgi, on one port.
/// </summary>
public sealed class SampleSpec(SampleFixture fixture) : IClassFixture<SampleFixture>
{
    private readonly HttpClient _client = fixture.App.CreateClient();

    [Fact]
    public async Task The_sample_must_answer_hello_through_its_pipeline_with_the_middleware_header()
    {
        var response = await _client.GetAsync("/hello");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Hello from ASP.NET Core", await response.Content.ReadAsStringAsync());
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("aspnetcore", Assert.Single(response.Headers.GetValues("x-pipeline")));
        Assert.Equal("ActorSsgi", response.Headers.Server.ToString());
    }

    [Fact]
    public async Task The_sample_must_create_a_todo_from_a_json_body_through_model_binding()
    {
        var created = await _client.PostAsJsonAsync("/todos", new { title = "write the sample" });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var item = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("write the sample", item.GetProperty("title").GetString());
        var id = item.GetProperty("id").GetInt32();
        Assert.Equal($"/todos/{id}", created.Headers.Location?.OriginalString);

        var list = await _client.GetFromJsonAsync<JsonElement>("/todos");
        Assert.Equal(JsonValueKind.Array, list.ValueKind);
        Assert.Contains(list.EnumerateArray(), t => t.GetProperty("id").GetInt32() == id);
        var one = await _client.GetFromJsonAsync<JsonElement>(created.Headers.Location);
        Assert.Equal("write the sample", one.GetProperty("title").GetString());
    }

    [Fact]
    public async Task The_sample_must_answer_400_problem_details_for_an_invalid_todo()
    {
        var malformed = await _client.PostAsync("/todos", new StringContent("{\"title\":", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal("application/problem+json", malformed.Content.Headers.ContentType?.MediaType);
        Assert.Equal(400, (await malformed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetInt32());

        var empty = await _client.PostAsJsonAsync("/todos", new { title = "  " });
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Equal("application/problem+json", empty.Content.Headers.ContentType?.MediaType);
        var problem = await empty.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("title", out _), problem.ToString());
    }

    [Fact]
    public async Task The_sample_must_answer_500_for_an_endpoint_that_throws_and_keep_serving()
    {
        for (var i = 0; i < 3; i++)
        {
            var boom = await _client.GetAsync("/boom");
            Assert.Equal(HttpStatusCode.InternalServerError, boom.StatusCode);
            Assert.Equal("application/problem+json", boom.Content.Headers.ContentType?.MediaType);
            Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/hello")).StatusCode);
        }
    }

    [Fact]
    public async Task The_sample_must_give_each_request_its_own_di_scope()
    {
        var first = await _client.GetFromJsonAsync<JsonElement>("/scope");
        var second = await _client.GetFromJsonAsync<JsonElement>("/scope");

        Assert.Equal(first.GetProperty("first").GetGuid(), first.GetProperty("second").GetGuid());
        Assert.NotEqual(first.GetProperty("first").GetGuid(), second.GetProperty("first").GetGuid());
    }

    [Fact]
    public async Task A_controller_must_see_its_request_through_ihttpcontextaccessor()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/whoami");
        request.Headers.UserAgent.ParseAdd("spec/1.0");

        var response = await _client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        var whoami = JsonDocument.Parse(text).RootElement;
        Assert.True(whoami.TryGetProperty("path", out _), text);

        Assert.Equal("/api/whoami", whoami.GetProperty("path").GetString());
        Assert.Equal("spec/1.0", whoami.GetProperty("userAgent").GetString());
        Assert.True(whoami.GetProperty("sameContext").GetBoolean());
    }

    [Fact]
    public async Task The_sample_must_stream_numbers_from_an_akka_source_chunked()
    {
        using var response = await _client.GetAsync("/streams/numbers?count=2000", HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.TransferEncodingChunked, "the body must be chunked");
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(string.Concat(Enumerable.Range(1, 2000).Select(i => $"{i}\n")), body);

        Assert.Equal(HttpStatusCode.BadRequest, (await _client.GetAsync("/streams/numbers?count=-1")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.GetAsync("/streams/numbers")).StatusCode);
    }

    [Fact]
    public async Task The_sample_must_echo_websocket_messages_through_ssgi_on_the_same_port()
    {
        using var ws = new ClientWebSocket();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await ws.ConnectAsync(fixture.App.WebSocket("/ws/echo"), timeout.Token);

        await ws.SendAsync("héllo"u8.ToArray(), WebSocketMessageType.Text, true, timeout.Token);
        var (type, data) = await ReceiveAsync(ws, timeout.Token);
        Assert.Equal(WebSocketMessageType.Text, type);
        Assert.Equal("héllo", Encoding.UTF8.GetString(data));

        await ws.SendAsync(new byte[] { 1, 2, 3 }, WebSocketMessageType.Binary, true, timeout.Token);
        (type, data) = await ReceiveAsync(ws, timeout.Token);
        Assert.Equal(WebSocketMessageType.Binary, type);
        Assert.Equal(new byte[] { 1, 2, 3 }, data);

        await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, ws.CloseStatus);
    }

    [Fact]
    public async Task The_sample_must_refuse_an_unknown_websocket_route_through_its_ssgi_entry()
    {
        using var ws = new ClientWebSocket();
        ws.Options.CollectHttpResponseDetails = true;

        await Assert.ThrowsAsync<WebSocketException>(() => ws.ConnectAsync(fixture.App.WebSocket("/ws/none"), CancellationToken.None));

        Assert.Equal(HttpStatusCode.NotFound, ws.HttpStatusCode);
    }

    [Fact]
    public async Task The_sample_must_echo_for_debians_python_websockets_client()
    {
        const string script = """
            import asyncio, sys, websockets
            async def main():
                async with websockets.connect(sys.argv[1], open_timeout=10) as ws:
                    await ws.send("from python")
                    text = await asyncio.wait_for(ws.recv(), 10)
                    await ws.send(b"\x00\x01")
                    data = await asyncio.wait_for(ws.recv(), 10)
                    print(repr(text), repr(data))
            asyncio.run(main())
            """;

        var (exitCode, output) = await Python.RunAsync(script, fixture.App.WebSocket("/ws/echo").ToString());

        Assert.True(exitCode == 0, output);
        Assert.Equal("'from python' b'\\x00\\x01'", output.Trim());
    }

    internal static async Task<(WebSocketMessageType Type, byte[] Data)> ReceiveAsync(WebSocket ws, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await ws.ReceiveAsync(buffer, cancellationToken);
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return (result.MessageType, message.ToArray());
            }
        }
    }
}
