using Akka.Actor;
using ActorSsgi.TestKit.Http;
using ActorSsgi.Tests.Support;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;
using static ActorSsgi.Tests.Support.Handlers;

namespace ActorSsgi.Tests.Http;

/// <summary>
/// A handler that throws, in every state: 500 while the head can still change, an abort once the body started;
/// the supervisor restarts the actor and the pool keeps serving, with nothing of the failed request left over.
/// </summary>
public sealed class HandlerCrashSpec(ITestOutputHelper output) : HttpSpec(output)
{
    private const string Boom = "boom";

    /// <summary>The crashing entry for <c>/crash</c>; everything else answers 200 "ok" with no extra header.</summary>
    private Task<SsgiHttpTestKit> CrashingKitAsync(Func<ISsgiHttpResponse, ValueTask> crash) =>
        KitAsync((_, _, _, _, path, _, _, res) =>
        {
            if (path == "/crash")
            {
                return crash(res);
            }

            res.Send("ok");
            return default;
        });

    /// <summary>The actor that served <paramref name="crashed"/> must serve the next request like a fresh one.</summary>
    private static async Task AssertNextRequestIsFresh(SsgiHttpTestKit kit, SyntheticResponse crashed)
    {
        var next = await kit.GetAsync("/");
        Assert.Equal(crashed.Actor, next.Actor);
        Assert.Equal(200, next.StatusCode);
        Assert.Equal("ok", next.BodyText);
        Assert.Equal(["content-length", "server"], next.Headers.Keys.Select(k => k.ToLowerInvariant()).Order());
        AssertClean(next);
    }

    [Fact]
    public async Task A_request_actor_must_answer_500_when_its_handler_throws_before_the_status()
    {
        var kit = await CrashingKitAsync(_ => throw new InvalidOperationException(Boom));

        var response = await kit.GetAsync("/crash");

        Assert.Equal(500, response.StatusCode);
        Assert.Empty(response.Body);
        Assert.Equal(0, response.ContentLength);
        Assert.False(response.Aborted);
        AssertClean(response);
        Assert.Contains(kit.Log, e => e.Level == LogLevel.Error && e.Exception?.Message == Boom);
        await AssertNextRequestIsFresh(kit, response);
    }

    [Fact]
    public async Task A_request_actor_must_answer_500_without_the_handlers_headers_when_it_throws_before_the_body()
    {
        var kit = await CrashingKitAsync(res =>
        {
            res.SendStatus(201);
            res.SendHeaders(("x-leak", "1"));
            throw new InvalidOperationException(Boom);
        });

        var response = await kit.GetAsync("/crash");

        Assert.Equal(500, response.StatusCode);
        Assert.Null(response.Header("x-leak"));
        Assert.Equal("ActorSsgi", response.Header("server"));
        Assert.Empty(response.Body);
        AssertClean(response);
        await AssertNextRequestIsFresh(kit, response);
    }

    [Fact]
    public async Task A_request_actor_must_abort_when_its_handler_throws_after_the_body_started()
    {
        var kit = await CrashingKitAsync(res =>
        {
            res.Send("partial", hasMore: true);
            throw new InvalidOperationException(Boom);
        });

        var response = await kit.GetAsync("/crash");

        Assert.True(response.AbortedByServer, response.ToString());
        Assert.Equal(200, response.StatusCode);
        Assert.False(response.BodyComplete);
        AssertClean(response);
        await AssertNextRequestIsFresh(kit, response);
    }

    [Fact]
    public async Task A_request_actor_must_answer_500_when_an_async_handler_throws_after_an_await()
    {
        var kit = await CrashingKitAsync(async res =>
        {
            await Task.Yield();
            res.SendHeaders(("x-leak", "1"));
            throw new InvalidOperationException(Boom);
        });

        var response = await kit.GetAsync("/crash");

        Assert.Equal(500, response.StatusCode);
        Assert.Null(response.Header("x-leak"));
        AssertClean(response);
        await AssertNextRequestIsFresh(kit, response);
    }

    [Fact]
    public async Task A_request_actor_must_abort_when_an_async_handler_throws_after_streaming_started()
    {
        var kit = await CrashingKitAsync(async res =>
        {
            await res.SendChunk("partial");
            await Task.Yield();
            throw new InvalidOperationException(Boom);
        });

        var response = await kit.GetAsync("/crash");

        Assert.True(response.AbortedByServer, response.ToString());
        AssertClean(response);
        await AssertNextRequestIsFresh(kit, response);
    }

    [Fact]
    public async Task A_request_actor_must_answer_500_when_a_run_async_handler_throws_synchronously()
    {
        var kit = await CrashingKitAsync(res =>
        {
            res.RunAsync(_ => throw new InvalidOperationException(Boom));
            return default;
        });

        var response = await kit.GetAsync("/crash");

        Assert.Equal(500, response.StatusCode);
        AssertClean(response);
        await AssertNextRequestIsFresh(kit, response);
    }

    [Fact]
    public async Task A_request_actor_must_answer_500_when_a_run_async_handler_throws_after_an_await()
    {
        var kit = await CrashingKitAsync(res =>
        {
            res.RunAsync(
                async (r, state) =>
                {
                    await Task.Yield();
                    r.SendStatus(state);
                    throw new InvalidOperationException(Boom);
                },
                418);
            return default;
        });

        var response = await kit.GetAsync("/crash");

        Assert.Equal(500, response.StatusCode);
        AssertClean(response);
        await AssertNextRequestIsFresh(kit, response);
    }

    [Fact]
    public async Task A_request_actor_must_finish_the_request_when_on_aborted_throws()
    {
        var kit = await CrashingKitAsync(res =>
        {
            res.OnAborted(_ => throw new InvalidOperationException(Boom));
            return default;
        });
        var request = SyntheticRequest.Get("/crash");
        var response = kit.Send(request);

        request.Abort();

        await response.WaitAsync();
        Assert.True(response.AbortedByClient);
        await AssertNextRequestIsFresh(kit, response);
    }

    [Fact]
    public async Task A_request_actor_must_finish_the_request_when_an_async_on_aborted_fails()
    {
        var kit = await CrashingKitAsync(res =>
        {
            res.OnAborted(async _ =>
            {
                await Task.Yield();
                throw new InvalidOperationException(Boom);
            });
            return default;
        });
        var request = SyntheticRequest.Get("/crash");
        var response = kit.Send(request);

        request.Abort();

        await response.WaitAsync();
        await AwaitAssertAsync(() => Assert.Contains(kit.Log, e => e.Exception?.Message == Boom));
        await AssertNextRequestIsFresh(kit, response);
    }

    [Fact]
    public async Task A_request_actor_must_finish_the_request_when_on_aborted_throws_during_a_crash_after_the_body_started()
    {
        var kit = await CrashingKitAsync(res =>
        {
            res.OnAborted(_ => throw new InvalidOperationException("on_aborted failed too"));
            res.Send("partial", hasMore: true);
            throw new InvalidOperationException(Boom);
        });

        var response = kit.Send(SyntheticRequest.Get("/crash"));

        await response.WaitAsync(TimeSpan.FromSeconds(3));
        Assert.True(response.AbortedByServer);
        await AssertNextRequestIsFresh(kit, response);
    }

    [Fact]
    public async Task A_request_actor_must_finish_the_request_when_on_aborted_throws_while_a_flush_is_pending()
    {
        var kit = await CrashingKitAsync(res =>
        {
            res.OnAborted(_ => throw new InvalidOperationException(Boom));
            res.Send(new byte[4096], hasMore: true);
            return default;
        });
        var request = SyntheticRequest.Get("/crash").WithResponseBufferSize(16).WithResponseReadingPaused();
        var response = kit.Send(request);
        await AwaitAssertAsync(() => Assert.Contains(SyntheticResponseEvent.Flushed, response.Events));

        request.Abort();

        await response.WaitAsync(TimeSpan.FromSeconds(3));
        await AssertNextRequestIsFresh(kit, response);
    }

    [Fact]
    public async Task A_stale_response_kept_from_a_finished_request_must_not_touch_the_next_request_on_the_same_actor()
    {
        ISsgiHttpResponse? stale = null;
        ISsgiHeaders? staleHeaders = null;
        var gate = new TaskCompletionSource();
        var kit = await KitAsync((_, _, _, _, path, _, headers, res) =>
        {
            if (path == "/first")
            {
                stale = res;
                staleHeaders = headers;
                res.Send("first");
                return default;
            }

            return Second(res);

            async ValueTask Second(ISsgiHttpResponse r)
            {
                await gate.Task;
                r.Send("second");
            }
        });

        var first = await kit.GetAsync("/first");
        var second = kit.Send(SyntheticRequest.Get("/second"));
        Assert.Equal(first.Actor, second.Actor);

        // The second request is in flight on the same actor; the first's response object must be dead.
        Assert.Throws<InvalidOperationException>(() => stale!.SendStatus(500));
        Assert.Throws<InvalidOperationException>(() => stale!.SendHeaders(("x-stale", "1")));
        Assert.Throws<InvalidOperationException>(() => stale!.Send("stale"));
        Assert.Throws<InvalidOperationException>(() => stale!.Send());
        Assert.Throws<InvalidOperationException>(() => stale!.SendChunk("stale"));
        Assert.Throws<InvalidOperationException>(() => staleHeaders!.GetHeader("host"));
        Assert.Null(await stale!.GetData());
        Assert.Null(await stale.GetChunk());
        stale.OnAborted(_ => TestActor.Tell("stale on_aborted"));
        stale.RunAsync(r =>
        {
            TestActor.Tell("stale run_async");
            return default;
        });
        Assert.False(stale.Aborted);

        gate.SetResult();
        await second.WaitAsync();
        Assert.Equal(200, second.StatusCode);
        Assert.Equal("second", second.BodyText);
        Assert.Null(second.Header("x-stale"));
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        AssertClean(second);
    }

    [Fact]
    public async Task A_stale_response_kept_from_a_crashed_request_must_not_touch_the_next_request_on_the_same_actor()
    {
        ISsgiHttpResponse? stale = null;
        var gate = new TaskCompletionSource();
        var kit = await KitAsync((_, _, _, _, path, _, _, res) =>
        {
            if (path == "/crash")
            {
                stale = res;
                throw new InvalidOperationException(Boom);
            }

            return Next(res);

            async ValueTask Next(ISsgiHttpResponse r)
            {
                await gate.Task;
                r.Send("next");
            }
        });

        var crashed = await kit.GetAsync("/crash");
        var next = kit.Send(SyntheticRequest.Get("/next"));
        Assert.Equal(crashed.Actor, next.Actor);

        Assert.Throws<InvalidOperationException>(() => stale!.SendStatus(201));
        Assert.Throws<InvalidOperationException>(() => stale!.Send("stale"));

        gate.SetResult();
        await next.WaitAsync();
        Assert.Equal(200, next.StatusCode);
        Assert.Equal("next", next.BodyText);
        AssertClean(next);
    }

    [Fact]
    public async Task A_restarted_actor_must_not_let_a_late_completion_of_the_crashed_request_finish_its_next_request()
    {
        var lateEntry = new TaskCompletionSource();
        var gate = new TaskCompletionSource();
        var kit = await KitAsync((_, _, _, _, path, _, _, res) =>
        {
            if (path == "/crash")
            {
                return Crashing(res);
            }

            return Next(res);

            async ValueTask Crashing(ISsgiHttpResponse r)
            {
                // A RunAsync handler crashes the actor while the entry itself is still awaiting.
                r.RunAsync(_ => throw new InvalidOperationException(Boom));
                await lateEntry.Task;
                TestActor.Tell("late entry done");
            }

            async ValueTask Next(ISsgiHttpResponse r)
            {
                await gate.Task;
                r.Send("next");
            }
        });

        var crashed = await kit.GetAsync("/crash");
        Assert.Equal(500, crashed.StatusCode);
        var next = kit.Send(SyntheticRequest.Get("/next"));
        Assert.Equal(crashed.Actor, next.Actor);

        // The crashed request's entry completes now, on the restarted actor, while the next request runs.
        lateEntry.SetResult();
        ExpectMsg("late entry done");
        await MailboxBarrierAsync(next.Actor!);
        Assert.False(next.ServerTask.IsCompleted, next.ToString());

        gate.SetResult();
        await next.WaitAsync();
        Assert.Equal(200, next.StatusCode);
        Assert.Equal("next", next.BodyText);
        AssertClean(next);
    }

    [Fact]
    public async Task A_request_actor_must_keep_serving_after_many_crashes_with_a_bounded_pool()
    {
        var kit = await CrashingKitAsync(_ => throw new InvalidOperationException(Boom));

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(500, (await kit.GetAsync("/crash")).StatusCode);
            Assert.Equal("ok", (await kit.GetAsync("/")).BodyText);
        }

        Assert.Equal(1, kit.SpawnedActors);
        Assert.Equal(1, kit.IdleActors);
    }
}
