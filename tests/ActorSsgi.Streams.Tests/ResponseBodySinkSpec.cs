using System.Text;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.TestKit;

namespace ActorSsgi.Streams.Tests;

public sealed class ResponseBodySinkSpec : Akka.TestKit.Xunit2.TestKit
{
    private static ByteString B(string s) => ByteString.FromString(s, Encoding.ASCII);

    // The probe is materialized inside SendBody's graph (PreMaterialize would put a buffering Publisher in between).
    private (TestPublisher.Probe<ByteString> Publisher, Task Done) Run(FakeHttpResponse res)
    {
        var materialized = new TaskCompletionSource<TestPublisher.Probe<ByteString>>();
        var source = this.SourceProbe<ByteString>().MapMaterializedValue(p =>
        {
            materialized.SetResult(p);
            return p;
        });
        var done = res.SendBody(source, Sys.Materializer());
        Assert.True(materialized.Task.Wait(TimeSpan.FromSeconds(3)));
        return (materialized.Task.Result, done);
    }

    [Fact]
    public async Task A_response_body_must_not_pull_the_next_element_before_the_send_completed()
    {
        // A fused source (no asynchronous boundary, hence no prefetching buffer): Select runs exactly once per pull
        // that SendBody makes, so `pulled` counts SendBody's demand.
        var res = new FakeHttpResponse();
        var pulled = 0;
        var source = Source.From(["a", "b", "c"]).Select(s =>
        {
            Interlocked.Increment(ref pulled);
            return B(s);
        });
        var done = res.SendBody(source, Sys.Materializer());

        AwaitCondition(() => Volatile.Read(ref res.SendChunkCalls) == 1, TimeSpan.FromSeconds(3));
        await Task.Delay(200); // a window in which a wrong implementation would pull ahead; the asserts below decide
        Assert.Equal(1, Volatile.Read(ref pulled));

        res.CompleteSend(new SsgiChunkResult(Sent: true, Ended: false));
        AwaitCondition(() => Volatile.Read(ref res.SendChunkCalls) == 2, TimeSpan.FromSeconds(3));
        await Task.Delay(200);
        Assert.Equal(2, Volatile.Read(ref pulled));

        res.CompleteSend(new SsgiChunkResult(Sent: true, Ended: false));
        AwaitCondition(() => Volatile.Read(ref res.SendChunkCalls) == 3, TimeSpan.FromSeconds(3));
        Assert.Equal(0, res.SendCalls);
        res.CompleteSend(new SsgiChunkResult(Sent: true, Ended: false));

        await done.WaitAsync(TimeSpan.FromSeconds(3));
        Assert.Equal(1, res.SendCalls);
        Assert.Equal(["a", "b", "c"], res.Sent.Select(b => Encoding.ASCII.GetString(b)));
    }

    [Fact]
    public async Task A_response_body_must_cancel_its_source_when_a_chunk_was_not_sent()
    {
        var res = new FakeHttpResponse();
        var (publisher, done) = Run(res);

        publisher.ExpectRequest();
        publisher.SendNext(B("a"));
        AwaitCondition(() => Volatile.Read(ref res.SendChunkCalls) == 1, TimeSpan.FromSeconds(3));
        res.Aborted = true;
        res.CompleteSend(new SsgiChunkResult(Sent: false, Ended: true));

        publisher.ExpectCancellation();
        await done.WaitAsync(TimeSpan.FromSeconds(3));
        Assert.Equal(0, res.SendCalls);
    }

    [Fact]
    public async Task A_response_body_must_fault_its_task_when_the_source_fails()
    {
        var res = new FakeHttpResponse();
        var (publisher, done) = Run(res);

        publisher.ExpectRequest();
        publisher.SendError(new InvalidOperationException("boom"));

        var error = await Assert.ThrowsAnyAsync<Exception>(() => done.WaitAsync(TimeSpan.FromSeconds(3)));
        Assert.Contains("boom", error.ToString());
        Assert.Equal(0, res.SendCalls);
    }
}
