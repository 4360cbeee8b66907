using ActorSsgi.FunctionalTests.Fixtures;

namespace ActorSsgi.FunctionalTests.Http;

[Collection(DemoServerCollection.Name)]
public sealed class StatusSpec(SharedDemoServer shared) : IDisposable
{
    private readonly HttpClient _client = shared.Server.CreateClient();

    [Theory]
    [InlineData(200)]
    [InlineData(201)]
    [InlineData(299)]
    [InlineData(404)]
    [InlineData(418)]
    [InlineData(503)]
    [InlineData(599)]
    public async Task Status_answers_with_that_code_and_an_empty_body(int code)
    {
        using var response = await _client.GetAsync($"/status/{code}");

        Assert.Equal(code, (int)response.StatusCode);
        Assert.Equal(0, response.DeclaredContentLength());
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Status_204_has_neither_body_nor_content_length()
    {
        await using var connection = await shared.Server.ConnectAsync();
        // A 204 that carried body bytes would break the parse of the second response on the same socket.
        await connection.SendAsync("GET /status/204 HTTP/1.1\r\nHost: t\r\n\r\nGET /plaintext HTTP/1.1\r\nHost: t\r\n\r\n");

        var noContent = await connection.ReadResponseAsync();
        var next = await connection.ReadResponseAsync();

        Assert.Equal(204, noContent.Status);
        Assert.Null(noContent.Header("content-length"));
        Assert.Null(noContent.Header("transfer-encoding"));
        Assert.Equal("Hello, World!", next.BodyText);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("199")]
    [InlineData("600")]
    [InlineData("999")]
    [InlineData("1000")]
    [InlineData("-200")]
    public async Task Status_rejects_codes_outside_200_to_599_with_400(string code)
    {
        using var response = await _client.GetAsync($"/status/{code}");

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Contains("200 to 599", await response.Content.ReadAsStringAsync());
    }

    public void Dispose() => _client.Dispose();
}
