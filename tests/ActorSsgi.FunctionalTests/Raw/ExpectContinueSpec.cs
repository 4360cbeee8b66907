using ActorSsgi.FunctionalTests.Fixtures;

namespace ActorSsgi.FunctionalTests.Raw;

[Collection(DemoServerCollection.Name)]
public sealed class ExpectContinueSpec(SharedDemoServer shared)
{
    [Fact]
    public async Task Expect_100_continue_gets_100_continue_before_the_body_is_sent_then_the_echo()
    {
        await using var connection = await shared.Server.ConnectAsync();
        await connection.SendAsync("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 11\r\nExpect: 100-continue\r\n\r\n");

        // Nothing of the body is on the wire yet: the server must ask for it.
        var interim = await connection.ReadResponseAsync(timeout: TimeSpan.FromSeconds(10));
        await connection.SendAsync("hello world");
        var final = await connection.ReadResponseAsync();

        Assert.Equal("HTTP/1.1", interim.Head.Version);
        Assert.Equal(100, interim.Status);
        Assert.Equal("Continue", interim.Head.Reason);
        Assert.Equal(200, final.Status);
        var echo = Echo.Parse(final.Body);
        Assert.Equal("hello world"u8.ToArray(), echo.Body);
        Assert.Equal("100-continue", echo.Headers["expect"]);
    }

    [Fact]
    public async Task Expect_100_continue_on_a_route_that_never_reads_the_body_gets_no_100()
    {
        await using var connection = await shared.Server.ConnectAsync();
        await connection.SendAsync("POST /status/201 HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");

        var response = await connection.ReadResponseAsync();

        Assert.Equal(201, response.Status);
    }
}
