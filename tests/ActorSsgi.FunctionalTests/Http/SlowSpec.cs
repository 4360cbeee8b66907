using System.Diagnostics;
using System.Net;
using ActorSsgi.FunctionalTests.Fixtures;

namespace ActorSsgi.FunctionalTests.Http;

[Collection(DemoServerCollection.Name)]
public sealed class SlowSpec(SharedDemoServer shared) : IDisposable
{
    private readonly HttpClient _client = shared.Server.CreateClient();

    [Fact]
    public async Task Slow_answers_only_after_the_requested_delay()
    {
        var watch = Stopwatch.StartNew();
        using var response = await _client.GetAsync("/slow?ms=300");
        var body = await response.Content.ReadAsStringAsync();
        watch.Stop();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("slept 300 ms", body);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.True(watch.ElapsedMilliseconds >= 295, $"answered after {watch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task Slow_requests_on_separate_connections_wait_concurrently()
    {
        // Eight 600 ms requests in sequence would take 4.8 s; one actor per request lets them overlap.
        var watch = Stopwatch.StartNew();
        var bodies = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            using var client = shared.Server.CreateClient();
            return await client.GetStringAsync("/slow?ms=600");
        }));
        watch.Stop();

        Assert.All(bodies, body => Assert.Equal("slept 600 ms", body));
        Assert.True(watch.ElapsedMilliseconds < 2_400, $"8 concurrent 600 ms requests took {watch.ElapsedMilliseconds} ms");
    }

    [Theory]
    [InlineData("/slow?ms=abc")]
    [InlineData("/slow?ms=60001")]
    [InlineData("/slow")]
    public async Task Slow_rejects_a_bad_delay_with_400(string target)
    {
        using var response = await _client.GetAsync(target);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    public void Dispose() => _client.Dispose();
}
