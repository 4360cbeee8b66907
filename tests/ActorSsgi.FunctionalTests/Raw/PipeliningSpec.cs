using System.Text;
using ActorSsgi.FunctionalTests.Fixtures;

namespace ActorSsgi.FunctionalTests.Raw;

[Collection(DemoServerCollection.Name)]
public sealed class PipeliningSpec(SharedDemoServer shared)
{
    [Fact]
    public async Task Sixteen_pipelined_plaintext_requests_get_sixteen_responses_on_one_socket()
    {
        await using var connection = await shared.Server.ConnectAsync();
        var batch = string.Concat(Enumerable.Repeat("GET /plaintext HTTP/1.1\r\nHost: t\r\n\r\n", 16));

        await connection.SendAsync(batch);
        var responses = new List<RawHttpResponse>();
        for (var i = 0; i < 16; i++)
        {
            responses.Add(await connection.ReadResponseAsync());
        }

        Assert.All(responses, r =>
        {
            Assert.Equal(200, r.Status);
            Assert.Equal("Hello, World!", r.BodyText);
            Assert.Equal("13", r.Header("content-length"));
        });
        Assert.Equal(0, connection.Buffered);
    }

    [Fact]
    public async Task Pipelined_responses_come_back_in_request_order()
    {
        await using var connection = await shared.Server.ConnectAsync();
        var batch = new StringBuilder();
        for (var i = 0; i < 16; i++)
        {
            batch.Append($"GET /echo?seq={i} HTTP/1.1\r\nHost: t\r\n\r\n");
        }

        await connection.SendAsync(batch.ToString());
        var sequence = new List<string>();
        for (var i = 0; i < 16; i++)
        {
            sequence.Add(Echo.Parse((await connection.ReadResponseAsync()).Body).QueryString);
        }

        Assert.Equal(Enumerable.Range(0, 16).Select(i => $"seq={i}"), sequence);
    }

    [Fact]
    public async Task A_slow_request_holds_back_the_fast_ones_pipelined_behind_it()
    {
        await using var connection = await shared.Server.ConnectAsync();

        await connection.SendAsync(
            "GET /slow?ms=200 HTTP/1.1\r\nHost: t\r\n\r\nGET /plaintext HTTP/1.1\r\nHost: t\r\n\r\nGET /json HTTP/1.1\r\nHost: t\r\n\r\n");
        var first = await connection.ReadResponseAsync();
        var second = await connection.ReadResponseAsync();
        var third = await connection.ReadResponseAsync();

        Assert.Equal("slept 200 ms", first.BodyText);
        Assert.Equal("Hello, World!", second.BodyText);
        Assert.Equal("""{"message":"Hello, World!"}""", third.BodyText);
    }
}
