using System.Text;
using ActorSsgi.FunctionalTests.Fixtures;

namespace ActorSsgi.FunctionalTests.Raw;

[Collection(DemoServerCollection.Name)]
public sealed class MalformedRequestSpec(SharedDemoServer shared)
{
    [Theory]
    [InlineData("GARBAGE\r\n\r\n")]
    [InlineData("GET  /plaintext HTTP/1.1\r\nHost: t\r\n\r\n")]
    [InlineData("GET /plaintext HTTP/1.1\r\nHost: t\r\nNo colon here\r\n\r\n")]
    [InlineData("GET /plaintext HTTP/1.1\r\n\r\n")]
    public async Task A_malformed_request_gets_400_and_the_connection_is_closed(string request)
    {
        await using var connection = await shared.Server.ConnectAsync();

        await connection.SendAsync(request);
        var response = await connection.ReadResponseAsync();
        var rest = await connection.ReadToEndAsync();

        Assert.Equal(400, response.Status);
        Assert.True(response.Head.ClosesConnection, "a 400 for a broken request should close the connection");
        Assert.Empty(rest);
    }

    [Theory]
    [InlineData("GET /plaintext HTTP/1.7\r\nHost: t\r\n\r\n")]
    [InlineData("GET /plaintext\r\nHost: t\r\n\r\n")]
    public async Task An_unsupported_http_version_gets_505(string request)
    {
        await using var connection = await shared.Server.ConnectAsync();

        await connection.SendAsync(request);
        var response = await connection.ReadResponseAsync();

        Assert.Equal(505, response.Status);
    }

    [Fact]
    public async Task The_server_keeps_serving_after_malformed_requests()
    {
        for (var i = 0; i < 5; i++)
        {
            await using var bad = await shared.Server.ConnectAsync();
            await bad.SendAsync("\u0001\u0002 nonsense \r\n\r\n");
            Assert.Contains("400", Encoding.ASCII.GetString(await bad.ReadToEndAsync()));
        }

        await using var good = await shared.Server.ConnectAsync();
        await good.SendAsync("GET /plaintext HTTP/1.1\r\nHost: t\r\n\r\n");

        Assert.Equal("Hello, World!", (await good.ReadResponseAsync()).BodyText);
    }
}
