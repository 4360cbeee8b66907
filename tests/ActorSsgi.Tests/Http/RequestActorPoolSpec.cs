using ActorSsgi.Hosting;
using ActorSsgi.Http;
using ActorSsgi.Server;
using ActorSsgi.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using static ActorSsgi.Tests.Support.Handlers;

namespace ActorSsgi.Tests.Http;

/// <summary>
/// The production pool keeps, per thread, the actor that thread rented and got back (a request served inline), so
/// a busy thread reuses one actor; everything else goes through the shared array, and nothing is stranded.
/// Each step runs on a thread of its own, so that which thread rents and which returns is the test's choice.
/// </summary>
public sealed class RequestActorPoolSpec : Akka.TestKit.Xunit2.TestKit
{
    private async Task<RequestActorPool> PoolAsync()
    {
        var options = new ActorSsgiOptions();
        ActorSsgi.TestKit.Http.Transport.RequestDispatcher.EnsureRegistered(Sys, options);
        var gateway = SsgiGateway.Negotiate(new HttpFramework(Sync(res => res.Send())));
        return await SsgiServer.CreatePoolAsync(Sys, gateway, options, NullLoggerFactory.Instance, keepPerThread: true);
    }

    private static T OnThread<T>(Func<T> work)
    {
        T result = default!;
        Exception? error = null;
        var thread = new Thread(() =>
        {
            try
            {
                result = work();
            }
            catch (Exception ex)
            {
                error = ex;
            }
        });
        thread.Start();
        thread.Join();
        return error is null ? result : throw error;
    }

    [Fact]
    public async Task A_thread_must_keep_the_actor_it_rented_and_got_back_for_itself()
    {
        var pool = await PoolAsync();
        using var kept = new ManualResetEventSlim();
        using var otherDone = new ManualResetEventSlim();
        Akka.Actor.IActorRef? first = null, again = null;
        var keeper = new Thread(() =>
        {
            first = pool.Rent();
            pool.Return(first);
            kept.Set();
            otherDone.Wait(TimeSpan.FromSeconds(10));
            again = pool.Rent();
        });
        keeper.Start();
        Assert.True(kept.Wait(TimeSpan.FromSeconds(10)));

        // While the keeper lives, its actor is not in the shared array: another thread gets a new one.
        var other = OnThread(pool.Rent);
        otherDone.Set();
        keeper.Join();

        Assert.Same(first, again);
        Assert.NotSame(first, other);
        Assert.Equal(2, pool.Spawned);
    }

    [Fact]
    public async Task An_actor_returned_by_another_thread_must_go_to_the_shared_array_for_any_thread()
    {
        var pool = await PoolAsync();
        var rented = OnThread(pool.Rent);
        OnThread(() =>
        {
            pool.Return(rented); // finished elsewhere, as after an async handler or a restart
            return 0;
        });

        var next = OnThread(pool.Rent);
        Assert.Same(rented, next);
        Assert.Equal(1, pool.Spawned);
    }

    [Fact]
    public async Task An_actor_kept_by_a_thread_that_exited_must_be_taken_back_for_other_threads()
    {
        var pool = await PoolAsync();
        var kept = OnThread(() =>
        {
            var actor = pool.Rent();
            pool.Return(actor);
            return actor;
        });

        // Renting does this at most every 100 ms; the test asks for it at once.
        RequestActorPool.ReclaimFromExitedThreadsNow();
        var next = OnThread(pool.Rent);

        Assert.Same(kept, next);
        Assert.Equal(1, pool.Spawned);
    }
}
