using Akka.Actor;
using ActorSsgi.TestKit;
using ActorSsgi.TestKit.Http;
using ActorSsgi.Tests.Support;
using Xunit.Abstractions;
using static ActorSsgi.Tests.Support.Handlers;

namespace ActorSsgi.Tests.Http;

/// <summary>The kit itself: what it promises its users about requests, responses and waits.</summary>
public sealed class SsgiHttpTestKitSpec(ITestOutputHelper output) : HttpSpec(output)
{
    [Fact]
    public async Task The_kit_must_refuse_to_send_a_request_twice()
    {
        var kit = await KitAsync(Sync(res => res.Send()));
        var request = SyntheticRequest.Get("/");
        await kit.SendAsync(request);

        Assert.Throws<InvalidOperationException>(() => kit.Send(request));
        Assert.Throws<InvalidOperationException>(() => request.WithHeader("x", "1"));
    }

    [Fact]
    public async Task The_kit_must_say_how_far_a_response_got_when_a_wait_times_out()
    {
        var kit = await KitAsync(Sync(res => res.OnAborted(_ => { })));
        var request = SyntheticRequest.Get("/never");
        var response = kit.Send(request);

        var error = await Assert.ThrowsAsync<TimeoutException>(() => response.WaitAsync(TimeSpan.FromMilliseconds(100)));

        Assert.Contains("GET /never", error.Message);
        Assert.Contains("not started", error.Message);
        Assert.Throws<InvalidOperationException>(() => response.StatusCode);
        request.Abort();
        await response.WaitAsync();
    }

    [Fact]
    public async Task The_kit_must_record_the_transport_events_in_order()
    {
        var kit = await KitAsync(Sync(res =>
        {
            res.Send("a", hasMore: true);
            res.Send("b");
        }));

        var response = await kit.GetAsync("/");

        Assert.Equal(
            [SyntheticResponseEvent.Started, SyntheticResponseEvent.Flushed],
            response.Events.Take(2));
        Assert.Contains(SyntheticResponseEvent.BodyCompleted, response.Events);
        Assert.Equal(SyntheticResponseEvent.RequestCompleted, response.Events[^1]);
    }

    [Fact]
    public async Task The_kit_must_hold_the_server_back_while_the_client_does_not_read()
    {
        var kit = await KitAsync(Entry(async res =>
        {
            for (var i = 0; i < 8; i++)
            {
                await res.SendChunk(new byte[1024]);
            }

            res.Send();
        }));
        var request = SyntheticRequest.Get("/").WithResponseBufferSize(2048).WithResponseReadingPaused();
        var response = kit.Send(request);

        await AwaitAssertAsync(() => Assert.Contains(SyntheticResponseEvent.Flushed, response.Events));
        Assert.False(response.ServerTask.IsCompleted);
        Assert.Empty(response.Body);

        response.ResumeReading();
        await response.WaitAsync();
        Assert.Equal(8 * 1024, response.Body.Length);
        AssertClean(response);
    }

    [Fact]
    public async Task The_kit_must_start_from_a_test_kit_with_its_time_factor_and_serve_a_framework()
    {
        var kit = await this.CreateSsgiHttpTestKitAsync(new HttpFramework(Sync(res => res.Send("framework"))));

        Assert.Equal("framework", (await kit.GetAsync("/")).BodyText);
        Assert.Equal(Dilated(TimeSpan.FromSeconds(10)), kit.Timeout);
    }

    [Fact]
    public async Task The_kit_must_stop_its_request_actors_when_disposed()
    {
        var kit = await KitAsync(Sync(res => res.Send()));
        var actor = (await kit.GetAsync("/")).Actor!;
        Watch(actor);

        kit.Dispose();

        ExpectTerminated(actor);
        Assert.Throws<ObjectDisposedException>(() => kit.Send(SyntheticRequest.Get("/")));
    }
}
