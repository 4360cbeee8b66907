using ActorSsgi.Hosting;
using ActorSsgi.Server;
using ActorSsgi.TestKit.Http;
using ActorSsgi.TestKit.Http.Transport;
using ActorSsgi.Tests.Support;
using Akka.Actor;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Xunit.Abstractions;

namespace ActorSsgi.Tests.Http;

/// <summary>
/// The synthetic transport's own rules, driven directly (no server): it must catch what Kestrel would reject, so
/// that an empty <see cref="SyntheticResponse.Violations"/> in the other specs means something.
/// </summary>
public sealed class SyntheticTransportSpec(ITestOutputHelper output) : HttpSpec(output)
{
    private static (SyntheticConnection Connection, SsgiRequestContext Context) Open(SyntheticRequest request, IActorRef? owner)
    {
        var connection = new SyntheticConnection(request, new ActorSsgiOptions(), guardActorThread: true);
        var context = new SsgiRequestContext();
        context.Open(connection.Features);
        context.Owner = owner;
        connection.Guard.Context = context;
        return (connection, context);
    }

    [Fact]
    public void The_transport_must_flag_a_body_write_made_outside_the_request_actor()
    {
        var (connection, _) = Open(SyntheticRequest.Get("/"), TestActor);

        connection.Writer.GetSpan(1)[0] = (byte)'x';
        connection.Writer.Advance(1);

        var violations = connection.Recorder.Violations();
        Assert.Equal(2, violations.Length);
        Assert.All(violations, v => Assert.Contains("outside the request's actor", v));
    }

    [Fact]
    public void The_transport_must_flag_a_call_made_after_the_request_was_finished()
    {
        var (connection, context) = Open(SyntheticRequest.Get("/"), TestActor);
        context.Owner = null;

        connection.Lifetime.Abort();

        Assert.Contains(connection.Recorder.Violations(), v => v.Contains("after the request was finished"));
    }

    [Fact]
    public async Task The_transport_must_refuse_more_bytes_than_content_length_and_report_too_few_at_the_end()
    {
        var (connection, _) = Open(SyntheticRequest.Get("/"), null);
        connection.ResponseHead.Headers.ContentLength = 2;
        connection.Writer.GetSpan(3);

        Assert.Throws<InvalidOperationException>(() => connection.Writer.Advance(3));
        connection.Writer.Advance(1);
        await connection.EndAsync();

        Assert.Contains(connection.Recorder.Violations(), v => v.Contains("too many bytes"));
        Assert.Contains(connection.Recorder.Violations(), v => v.Contains("too few bytes"));
        Assert.True(connection.Recorder.ServerAborted);
    }

    [Fact]
    public async Task The_transport_must_freeze_the_head_once_the_response_started()
    {
        var (connection, _) = Open(SyntheticRequest.Get("/"), null);
        connection.ResponseHead.StatusCode = 201;
        await connection.Writer.FlushAsync();

        Assert.Throws<InvalidOperationException>(() => connection.ResponseHead.StatusCode = 500);
        Assert.Throws<InvalidOperationException>(() => connection.ResponseHead.Headers["x-late"] = "1");
        Assert.Equal(201, connection.Recorder.Head!.StatusCode);
        Assert.True(connection.Recorder.Head.IsChunked);
    }

    [Fact]
    public async Task The_transport_must_size_an_empty_response_as_zero_and_fire_request_aborted_when_the_server_aborts()
    {
        var (connection, _) = Open(SyntheticRequest.Get("/"), null);
        await connection.ResponseBody.CompleteAsync();
        Assert.Equal("0", connection.Recorder.Head!.Headers["content-length"]);

        var (aborting, _) = Open(SyntheticRequest.Get("/"), null);
        var fired = new TaskCompletionSource();
        aborting.Features.Get<IHttpRequestLifetimeFeature>()!.RequestAborted.Register(() => fired.TrySetResult());
        aborting.Lifetime.Abort();

        await fired.Task.WaitAsync(Wait);
        Assert.True(aborting.Recorder.ServerAborted);
        await Assert.ThrowsAsync<TaskCanceledException>(async () => await aborting.BodyReader.ReadAsync());
    }
}
