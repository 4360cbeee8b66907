using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace ActorSsgi.FunctionalTests.Faults;

/// <summary>
/// A crash storm: 2,000 requests from 32 concurrent clients, every tenth to <c>/throw</c>. Every crash is answered
/// 500, everything else 200, no client sees a socket error, and the request actors all go back to the pool.
/// </summary>
[Collection(FaultsCollection.Name)]
[Trait("Category", "Faults")]
public sealed class CrashStormSpec(ITestOutputHelper output)
{
    private const int Clients = 32;
    private const int Requests = 2_000;

    [Fact(Timeout = 60_000)]
    public async Task Ten_percent_of_concurrent_requests_crashing_are_each_answered_500_and_the_rest_200_with_no_leak()
    {
        await using var server = await FaultServer.StartAsync(null);
        using var client = server.CreateClient();
        // Warm up (first actors spawned, connections open), then the baseline: nothing is in flight.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/plaintext")).StatusCode);
        var baseline = await Fixtures.Eventually.Until(() => Task.FromResult(server.RequestActorsInUse), n => n == 0, TimeSpan.FromSeconds(5), "no request actor in use before the storm");

        var next = -1;
        long ok = 0, crashed = 0, wrong = 0, socketErrors = 0;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < Requests; i = Interlocked.Increment(ref next))
            {
                var throws = i % 10 == 0;
                try
                {
                    using var response = await client.GetAsync(throws ? "/throw" : "/plaintext");
                    var expected = throws ? HttpStatusCode.InternalServerError : HttpStatusCode.OK;
                    if (response.StatusCode != expected)
                    {
                        Interlocked.Increment(ref wrong);
                    }
                    else
                    {
                        Interlocked.Increment(ref throws ? ref crashed : ref ok);
                    }
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref socketErrors);
                }
            }
        })));
        output.WriteLine($"{Requests} requests ({crashed} crashes) from {Clients} clients in {watch.ElapsedMilliseconds} ms");

        Assert.Equal(0, socketErrors);
        Assert.Equal(0, wrong);
        Assert.Equal(Requests / 10, crashed);
        Assert.Equal(Requests - Requests / 10, ok);
        await Fixtures.Eventually.Until(() => Task.FromResult(server.RequestActorsInUse), n => n == baseline, TimeSpan.FromSeconds(10), "the request actors back in the pool");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/plaintext")).StatusCode);

        // The crash log held: the default budget of full entries for /throw, nothing else at Error.
        var errors = server.Log.Where(e => e.Level >= LogLevel.Error).ToArray();
        Assert.All(errors, e => Assert.Equal("The /throw route fails on purpose.", e.Exception?.Message));
        Assert.Equal(new Hosting.SsgiCrashLogOptions().MaxStackTracesPerMinutePerRoute, errors.Length);
    }
}
