using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using ActorSsgi.FunctionalTests.Fixtures;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace ActorSsgi.FunctionalTests.Faults;

/// <summary>
/// An abort storm: 2,000 POSTs to <c>/stream</c> whose clients reset the connection (RST) halfway through a
/// Content-Length body. Every one runs on_aborted exactly once, nothing is logged at Error, and the request actors
/// all go back to the pool.
/// </summary>
[Collection(FaultsCollection.Name)]
[Trait("Category", "Faults")]
public sealed class AbortStormSpec(ITestOutputHelper output)
{
    private const int Clients = 32;
    private const int Requests = 2_000;
    private const int BodySize = 1024;

    [Fact(Timeout = 90_000)]
    public async Task Two_thousand_posts_reset_mid_body_each_run_on_aborted_and_leak_nothing()
    {
        await using var server = await FaultServer.StartAsync(null);
        using var client = server.CreateClient();
        var abortedBefore = await AbortedCount.ReadAsync(client);
        var baseline = await Eventually.Until(() => Task.FromResult(server.RequestActorsInUse), n => n == 0, TimeSpan.FromSeconds(5), "no request actor in use before the storm");

        var head = Encoding.ASCII.GetBytes($"POST /stream HTTP/1.1\r\nHost: t\r\nContent-Length: {BodySize}\r\n\r\n");
        var half = new byte[BodySize / 2];
        var next = -1;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < Requests; i = Interlocked.Increment(ref next))
            {
                await using var connection = await RawHttpConnection.ConnectAsync(server.EndPoint);
                await connection.SendAsync(head);
                await connection.SendAsync(half);
                // The echoed half's head means the handler runs and its on_aborted is registered: now the reset.
                using (var timeout = new CancellationTokenSource(RawHttpConnection.DefaultTimeout))
                {
                    Assert.Equal(200, (await connection.ReadHeadAsync(timeout.Token)).Status);
                }

                connection.Reset();
            }
        })));
        output.WriteLine($"{Requests} resets mid-body from {Clients} clients in {watch.ElapsedMilliseconds} ms");

        var aborted = await Eventually.Until(() => AbortedCount.ReadAsync(client), n => n >= abortedBefore + Requests, TimeSpan.FromSeconds(20), $"{Requests} on_aborted calls");
        await Eventually.Holds(() => AbortedCount.ReadAsync(client), n => n == abortedBefore + Requests, TimeSpan.FromMilliseconds(300), "no on_aborted call twice");
        Assert.Equal(abortedBefore + Requests, aborted);
        await Eventually.Until(() => Task.FromResult(server.RequestActorsInUse), n => n == baseline, TimeSpan.FromSeconds(10), "the request actors back in the pool");
        Assert.DoesNotContain(server.Log, e => e.Level >= LogLevel.Error);
        Assert.Equal("Hello, World!", await client.GetStringAsync("/plaintext"));
    }
}
