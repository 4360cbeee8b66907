using System.Net;
using ActorSsgi.FunctionalTests.Fixtures;

namespace ActorSsgi.FunctionalTests.Http;

[Collection(DemoServerCollection.Name)]
public sealed class ThrowSpec(SharedDemoServer shared) : IDisposable
{
    private readonly HttpClient _client = shared.Server.CreateClient();

    [Fact]
    public async Task A_throwing_handler_gets_500_with_an_empty_body_and_no_stack_trace()
    {
        using var response = await _client.GetAsync("/throw");
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Empty(body);
        Assert.Equal(0, response.DeclaredContentLength());
        Assert.Equal("ActorSsgi", string.Join(" ", response.Headers.GetValues("Server")));
        var allHeaders = string.Join("\n", response.Headers.Concat(response.Content.Headers).SelectMany(h => h.Value));
        Assert.DoesNotContain("Exception", allHeaders);
        Assert.DoesNotContain("fails on purpose", allHeaders);
    }

    [Fact]
    public async Task After_a_500_the_same_connection_keeps_serving()
    {
        await using var connection = await shared.Server.ConnectAsync();

        await connection.SendAsync("GET /throw HTTP/1.1\r\nHost: t\r\n\r\n");
        var failed = await connection.ReadResponseAsync();
        await connection.SendAsync("GET /plaintext HTTP/1.1\r\nHost: t\r\n\r\n");
        var next = await connection.ReadResponseAsync();

        Assert.Equal(500, failed.Status);
        Assert.Empty(failed.Body);
        Assert.False(failed.Head.ClosesConnection, "the 500 closed the connection");
        Assert.Equal(200, next.Status);
        Assert.Equal("Hello, World!", next.BodyText);
    }

    [Fact]
    public async Task Many_failures_in_a_row_leave_the_server_serving_new_connections()
    {
        var failures = await Task.WhenAll(Enumerable.Range(0, 50).Select(async _ =>
        {
            using var response = await _client.PostAsync("/throw", new StringContent("payload"));
            return response.StatusCode;
        }));

        using var fresh = shared.Server.CreateClient();
        using var after = await fresh.GetAsync("/plaintext");

        Assert.All(failures, status => Assert.Equal(HttpStatusCode.InternalServerError, status));
        Assert.Equal("Hello, World!", await after.Content.ReadAsStringAsync());
    }

    public void Dispose() => _client.Dispose();
}
