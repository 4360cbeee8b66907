using Akka.Actor;
using ActorSsgi.TestKit.Http;
using ActorSsgi.Tests.Support;
using Xunit.Abstractions;
using static ActorSsgi.Tests.Support.Handlers;

namespace ActorSsgi.Tests.Http;

/// <summary>Calls made outside the request's actor (timers, Task.Run, ConfigureAwait(false)) are marshalled into it.</summary>
public sealed class ForeignThreadSpec(ITestOutputHelper output) : HttpSpec(output)
{
    [Fact]
    public async Task A_response_must_accept_a_send_from_a_timer_thread_after_on_aborted_was_registered()
    {
        Timer? timer = null;
        var kit = await KitAsync(Sync(res =>
        {
            res.OnAborted(_ => TestActor.Tell("aborted"));
            timer = new Timer(
                _ =>
                {
                    res.SendStatus(203);
                    res.SendHeaders(("x-from", "timer"));
                    res.Send("late");
                },
                null,
                TimeSpan.FromMilliseconds(20),
                Timeout.InfiniteTimeSpan);
        }));

        var response = await kit.GetAsync("/");
        await timer!.DisposeAsync();

        Assert.Equal(203, response.StatusCode);
        Assert.Equal("timer", response.Header("x-from"));
        Assert.Equal("late", response.BodyText);
        Assert.Equal(4, response.ContentLength);
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        AssertClean(response);
    }

    [Fact]
    public async Task A_response_must_work_from_continuations_that_left_the_actor_with_configure_await_false()
    {
        var kit = await KitAsync(WithHeaders(async (headers, res) =>
        {
            await Task.Delay(1).ConfigureAwait(false);
            TestActor.Tell(headers.GetHeader("x") ?? "<null>");
            var body = await res.GetData().ConfigureAwait(false);
            res.SendStatus(201);
            res.SendHeaders(("x-len", body!.Value.Length.ToString()));
            TestActor.Tell(await res.SendChunk("[", totalSize: null).ConfigureAwait(false));
            await res.SendChunk(body.Value).ConfigureAwait(false);
            res.Send("]");
        }));

        var response = await kit.SendAsync(SyntheticRequest.Post("/", "payload").WithHeader("x", "1"));

        ExpectMsg("1");
        Assert.Equal(new SsgiChunkResult(true, false), ExpectMsg<SsgiChunkResult>());
        Assert.Equal(201, response.StatusCode);
        Assert.Equal("7", response.Header("x-len"));
        Assert.Equal("[payload]", response.BodyText);
        AssertClean(response);
    }

    [Fact]
    public async Task A_response_must_serve_reads_and_writes_started_on_the_thread_pool_in_order()
    {
        var kit = await KitAsync(Entry(res => new ValueTask(Task.Run(async () =>
        {
            var chunk = await res.GetChunk();
            res.Send(chunk!.Value, hasMore: true);
            for (var i = 0; i < 50; i++)
            {
                res.Send(i.ToString(System.Globalization.CultureInfo.InvariantCulture) + ",", hasMore: true);
            }

            res.Send("end");
        }))));

        var response = await kit.SendAsync(SyntheticRequest.Post("/", "start:"));

        Assert.Equal("start:" + string.Concat(Enumerable.Range(0, 50).Select(i => i + ",")) + "end", response.BodyText);
        AssertClean(response);
    }

    [Fact]
    public async Task A_run_async_registered_from_another_thread_must_run_in_the_actor()
    {
        var kit = await KitAsync(Entry(async res =>
        {
            await Task.Run(() => res.RunAsync(r =>
            {
                TestActor.Tell(ActorCell.GetCurrentSelfOrNoSender() is { } self && !self.IsNobody() ? "in an actor" : "outside");
                r.Send("ran");
                return default;
            }));
        }));

        var response = await kit.GetAsync("/");

        ExpectMsg("in an actor");
        Assert.Equal("ran", response.BodyText);
    }
}
