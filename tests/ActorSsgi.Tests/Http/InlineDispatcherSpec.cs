using System.Collections.Concurrent;
using System.Text;
using Akka.Actor;
using ActorSsgi.TestKit.Http;
using ActorSsgi.Tests.Support;
using Xunit.Abstractions;

namespace ActorSsgi.Tests.Http;

/// <summary>The inline dispatcher: requests run on the sender's thread when the actor is idle, one message at a time per actor.</summary>
public sealed class InlineDispatcherSpec(ITestOutputHelper output) : HttpSpec(output)
{
    [Fact]
    public async Task An_idle_request_actor_must_run_a_synchronous_handler_on_the_senders_thread()
    {
        var kit = await KitAsync(Handlers.Sync(res =>
        {
            res.Send(Environment.CurrentManagedThreadId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }));
        await kit.GetAsync("/");

        var thread = Environment.CurrentManagedThreadId;
        var response = kit.Send(SyntheticRequest.Get("/"));

        Assert.True(response.ServerTask.IsCompleted);
        await response.WaitAsync();
        Assert.Equal(thread.ToString(System.Globalization.CultureInfo.InvariantCulture), response.BodyText);
    }

    [Fact]
    public async Task Request_actors_must_serve_many_concurrent_requests_with_one_message_at_a_time_per_actor()
    {
        const int Senders = 8;
        const int PerSender = 25;
        var perActor = new ConcurrentDictionary<IActorRef, int[]>();
        var overlaps = 0;
        var outsideActor = 0;

        // Every synchronous piece of a handler is one message of its actor: it must never overlap another.
        IDisposable Enter(int[] perRequest)
        {
            var self = ActorCell.GetCurrentSelfOrNoSender();
            if (self is null || self.IsNobody())
            {
                Interlocked.Increment(ref outsideActor);
                return new Exit(() => { });
            }

            var counter = perActor.GetOrAdd(self, _ => new int[1]);
            if (Interlocked.Increment(ref counter[0]) != 1 | Interlocked.Increment(ref perRequest[0]) != 1)
            {
                Interlocked.Increment(ref overlaps);
            }

            return new Exit(() =>
            {
                Interlocked.Decrement(ref perRequest[0]);
                Interlocked.Decrement(ref counter[0]);
            });
        }

        var kit = await KitAsync(async (_, _, _, _, path, query, headers, res) =>
        {
            var inFlight = new int[1];
            string id;
            using (Enter(inFlight))
            {
                id = headers.GetHeader("x-id")!;
            }

            var body = await res.GetData();
            using (Enter(inFlight))
            {
                res.SendHeaders(("x-id", id));
            }

            await Task.Yield();
            using (Enter(inFlight))
            {
                res.RunAsync(
                    async (r, state) =>
                    {
                        using (Enter(inFlight))
                        {
                            await r.SendChunk(Encoding.UTF8.GetBytes(state + ":"));
                        }

                        await Task.Yield();
                        using (Enter(inFlight))
                        {
                            r.Send(body!.Value);
                        }
                    },
                    path + "?" + query);
            }
        });

        var work = Enumerable.Range(0, Senders).Select(sender => Task.Run(async () =>
        {
            var responses = Enumerable.Range(0, PerSender).Select(i =>
            {
                var id = $"{sender}-{i}";
                return kit.Send(SyntheticRequest.Post($"/r/{id}?q={id}", $"body {id}").WithHeader("x-id", id));
            }).ToArray();

            foreach (var response in responses)
            {
                await response.WaitAsync();
            }

            return responses;
        })).ToArray();
        var all = (await Task.WhenAll(work)).SelectMany(r => r).ToArray();

        Assert.Equal(Senders * PerSender, all.Length);
        foreach (var response in all)
        {
            var id = response.Request.Headers["x-id"].ToString();
            Assert.Equal(200, response.StatusCode);
            Assert.Equal(id, response.Header("x-id"));
            Assert.Equal($"/r/{id}?q={id}:body {id}", response.BodyText);
            AssertClean(response);
        }

        Assert.Equal(0, overlaps);
        Assert.Equal(0, outsideActor);
        Output.WriteLine($"{all.Length} requests served by {kit.SpawnedActors} request actors");
    }

    private sealed class Exit(Action exit) : IDisposable
    {
        public void Dispose() => exit();
    }
}
