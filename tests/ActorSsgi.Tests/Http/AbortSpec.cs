using Akka.Actor;
using ActorSsgi.TestKit.Http;
using ActorSsgi.Tests.Support;
using Xunit.Abstractions;
using static ActorSsgi.Tests.Support.Handlers;

namespace ActorSsgi.Tests.Http;

/// <summary>
/// A client that goes away in every state of the response: on_aborted runs exactly once, Aborted is true, and no
/// call throws afterwards (sends are dropped, reads return null); a completed response never sees on_aborted.
/// </summary>
public sealed class AbortSpec(ITestOutputHelper output) : HttpSpec(output)
{
    [Fact]
    public async Task A_pending_response_must_run_on_aborted_once_when_the_client_goes_away()
    {
        var kit = await KitAsync(Sync(res => res.OnAborted(r => TestActor.Tell(AbortReport.Probe(r)))));
        var request = SyntheticRequest.Get("/");
        var response = kit.Send(request);
        Assert.False(response.IsCompleted);

        request.Abort();
        request.Abort();

        Assert.True(ExpectMsg<AbortReport>().IsQuiet);
        await response.WaitAsync();
        Assert.True(response.AbortedByClient);
        Assert.False(response.HasStarted);
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        AssertClean(response);
    }

    [Fact]
    public async Task A_response_with_headers_set_must_run_on_aborted_once_when_the_client_goes_away()
    {
        var kit = await KitAsync(Sync(res =>
        {
            res.SendStatus(202);
            res.SendHeaders(("x-state", "headers-sent"));
            res.OnAborted((r, state) => TestActor.Tell((state, AbortReport.Probe(r))), "typed state");
        }));
        var request = SyntheticRequest.Get("/");
        var response = kit.Send(request);

        request.Abort();

        var (state, report) = ExpectMsg<(string, AbortReport)>();
        Assert.Equal("typed state", state);
        Assert.True(report.IsQuiet, report.ToString());
        await response.WaitAsync();
        Assert.False(response.HasStarted);
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task A_streaming_response_must_run_on_aborted_once_when_the_client_goes_away()
    {
        var kit = await KitAsync(Sync(res =>
        {
            res.Send("part", hasMore: true);
            res.OnAborted(async r =>
            {
                await Task.Yield();
                TestActor.Tell(AbortReport.Probe(r));
            });
        }));
        var request = SyntheticRequest.Get("/");
        var response = kit.Send(request);
        await response.WaitForBodyAsync(4);

        request.Abort();

        Assert.True(ExpectMsg<AbortReport>().IsQuiet);
        await response.WaitAsync();
        Assert.Equal("part", response.BodyText);
        Assert.False(response.BodyComplete);
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        AssertClean(response);
    }

    [Fact]
    public async Task A_handler_awaiting_get_chunk_must_get_null_and_on_aborted_must_run_once()
    {
        var kit = await KitAsync(Entry(async res =>
        {
            res.OnAborted(r => TestActor.Tell(AbortReport.Probe(r)));
            TestActor.Tell("reading");
            var chunk = await res.GetChunk();
            TestActor.Tell((chunk is null, res.Aborted));
        }));
        var request = SyntheticRequest.Post("/").WithStreamingBody();
        var response = kit.Send(request);
        ExpectMsg("reading");

        request.Abort();

        Assert.True(ExpectMsg<AbortReport>().IsQuiet);
        Assert.Equal((true, true), ExpectMsg<(bool, bool)>());
        await response.WaitAsync();
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        AssertClean(response);
    }

    [Fact]
    public async Task A_handler_awaiting_get_data_must_get_null_and_on_aborted_must_run_once()
    {
        var kit = await KitAsync(Entry(async res =>
        {
            res.OnAborted(r => TestActor.Tell(AbortReport.Probe(r)));
            var data = await res.GetData();
            TestActor.Tell((data is null, res.Aborted));
        }));
        var request = SyntheticRequest.Post("/").WithStreamingBody();
        var response = kit.Send(request);
        await request.WriteBodyAsync("half of it");

        request.Abort();

        Assert.True(ExpectMsg<AbortReport>().IsQuiet);
        Assert.Equal((true, true), ExpectMsg<(bool, bool)>());
        await response.WaitAsync();
        AssertClean(response);
    }

    [Fact]
    public async Task A_handler_under_send_chunk_backpressure_must_get_not_sent_and_ended_and_on_aborted_must_run_once()
    {
        var kit = await KitAsync(Entry(async res =>
        {
            res.OnAborted(r => TestActor.Tell(AbortReport.Probe(r)));
            var pending = res.SendChunk(new byte[4096]);
            TestActor.Tell(pending.IsCompleted ? "not pending" : "pending");
            TestActor.Tell(await pending);
            TestActor.Tell(res.Aborted);
        }));
        var request = SyntheticRequest.Get("/").WithResponseBufferSize(16).WithResponseReadingPaused();
        var response = kit.Send(request);
        ExpectMsg("pending");

        request.Abort();

        Assert.True(ExpectMsg<AbortReport>().IsQuiet);
        Assert.Equal(new SsgiChunkResult(Sent: false, Ended: true), ExpectMsg<SsgiChunkResult>());
        ExpectMsg(true);
        await response.WaitAsync();
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        AssertClean(response);
    }

    [Fact]
    public async Task A_handler_inside_run_async_must_see_the_abort_and_on_aborted_must_run_once()
    {
        var kit = await KitAsync(Sync(res => res.RunAsync(async r =>
        {
            r.OnAborted(x => TestActor.Tell(AbortReport.Probe(x)));
            TestActor.Tell("running");
            var chunk = await r.GetChunk();
            TestActor.Tell((chunk is null, r.Aborted));
        })));
        var request = SyntheticRequest.Post("/").WithStreamingBody();
        var response = kit.Send(request);
        ExpectMsg("running");

        request.Abort();

        Assert.True(ExpectMsg<AbortReport>().IsQuiet);
        Assert.Equal((true, true), ExpectMsg<(bool, bool)>());
        await response.WaitAsync();
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task A_response_aborted_before_its_handler_ran_must_still_run_on_aborted_once()
    {
        var kit = await KitAsync(Sync(res => res.OnAborted(r => TestActor.Tell(AbortReport.Probe(r)))));
        var request = SyntheticRequest.Get("/");
        request.Abort();

        var response = kit.Send(request);

        Assert.True(ExpectMsg<AbortReport>().IsQuiet);
        await response.WaitAsync();
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task A_completed_response_must_never_run_on_aborted()
    {
        var kit = await KitAsync(Sync(res =>
        {
            res.OnAborted(_ => TestActor.Tell("on_aborted ran"));
            res.Send("done");
        }));
        var request = SyntheticRequest.Get("/");
        var response = await kit.SendAsync(request);

        request.Abort();

        ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        Assert.Equal("done", response.BodyText);
    }

    [Fact]
    public async Task A_later_on_aborted_registration_must_replace_an_earlier_one()
    {
        var kit = await KitAsync(Sync(res =>
        {
            res.OnAborted(_ => TestActor.Tell("first"));
            res.OnAborted(_ => TestActor.Tell("second"));
        }));
        var request = SyntheticRequest.Get("/");
        var response = kit.Send(request);

        request.Abort();

        ExpectMsg("second");
        await response.WaitAsync();
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task A_stale_response_of_an_aborted_request_must_stay_quiet()
    {
        ISsgiHttpResponse? kept = null;
        var kit = await KitAsync(Sync(res =>
        {
            kept = res;
            res.OnAborted(_ => { });
        }));
        var request = SyntheticRequest.Get("/");
        var response = kit.Send(request);
        request.Abort();
        await response.WaitAsync();

        // From the test's thread, after the request is over.
        var report = AbortReport.Probe(kept!);
        Assert.True(report.IsQuiet, report.ToString());
    }

    [Fact]
    public async Task Aborted_must_be_true_for_a_caller_outside_the_actor_as_soon_as_on_aborted_ran()
    {
        ISsgiHttpResponse? kept = null;
        var gate = new TaskCompletionSource();
        var kit = await KitAsync(Entry(async res =>
        {
            kept = res;
            res.OnAborted(_ => TestActor.Tell("aborted"));

            // The entry is still running (its headers still valid), so the request stays open after the abort.
            await gate.Task;
        }));
        var request = SyntheticRequest.Get("/");
        var response = kit.Send(request);
        request.Abort();
        ExpectMsg("aborted");

        try
        {
            Assert.False(response.ServerTask.IsCompleted);
            Assert.True(kept!.Aborted);

            // And every call from out here is quiet too (marshalled into the actor, answered there).
            kept.Send("dropped", hasMore: true);
            kept.SendStatus(500);
            Assert.Equal(new SsgiChunkResult(false, true), await kept.SendChunk("dropped"));
            Assert.Null(await kept.GetData());
            Assert.Null(await kept.GetChunk());
        }
        finally
        {
            gate.SetResult();
        }

        await response.WaitAsync();
    }
}
