using ActorSsgi.FunctionalTests.Fixtures;

namespace ActorSsgi.FunctionalTests.Raw;

/// <summary>The demo with small limits: 4 KiB of headers, 1 KiB of body.</summary>
public sealed class SmallLimitsServer : IAsyncLifetime
{
    public DemoServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await DemoServer.StartAsync(
        "ActorSsgi:Limits:MaxRequestHeadersTotalSize=4096",
        "ActorSsgi:Limits:MaxRequestBodySize=1024");

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

public sealed class LimitsSpec(SmallLimitsServer fixture) : IClassFixture<SmallLimitsServer>
{
    private readonly DemoServer _server = fixture.Server;

    [Fact]
    public async Task Headers_over_the_configured_total_size_get_431()
    {
        await using var connection = await _server.ConnectAsync();

        await connection.SendAsync($"GET /plaintext HTTP/1.1\r\nHost: t\r\nX-Big: {new string('a', 5000)}\r\n\r\n");
        var response = await connection.ReadResponseAsync();

        Assert.Equal(431, response.Status);
    }

    [Fact]
    public async Task Headers_just_under_the_configured_total_size_are_served()
    {
        await using var connection = await _server.ConnectAsync();

        await connection.SendAsync($"GET /plaintext HTTP/1.1\r\nHost: t\r\nX-Big: {new string('a', 3500)}\r\n\r\n");
        var response = await connection.ReadResponseAsync();

        Assert.Equal(200, response.Status);
    }

    [Theory]
    [InlineData("/echo")]
    [InlineData("/stream")]
    public async Task A_content_length_over_the_body_limit_gets_413(string path)
    {
        await using var connection = await _server.ConnectAsync();

        await connection.SendAsync($"POST {path} HTTP/1.1\r\nHost: t\r\nContent-Length: 2048\r\n\r\n{new string('b', 2048)}");
        var response = await connection.ReadResponseAsync();

        Assert.Equal(413, response.Status);
        Assert.Empty(response.Body);
    }

    [Fact]
    public async Task A_chunked_body_growing_past_the_body_limit_gets_413()
    {
        await using var connection = await _server.ConnectAsync();
        var chunk = $"200\r\n{new string('c', 0x200)}\r\n";

        await connection.SendAsync($"POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n{chunk}{chunk}{chunk}0\r\n\r\n");
        var response = await connection.ReadResponseAsync();

        Assert.Equal(413, response.Status);
    }

    [Fact]
    public async Task A_body_exactly_at_the_limit_is_served()
    {
        await using var connection = await _server.ConnectAsync();

        await connection.SendAsync($"POST /stream HTTP/1.1\r\nHost: t\r\nContent-Length: 1024\r\n\r\n{new string('d', 1024)}");
        var response = await connection.ReadResponseAsync();

        Assert.Equal(200, response.Status);
        Assert.Equal(new string('d', 1024), response.BodyText);
    }
}
