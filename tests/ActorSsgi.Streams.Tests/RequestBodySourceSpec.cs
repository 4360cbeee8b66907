using System.Text;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.TestKit;

namespace ActorSsgi.Streams.Tests;

public sealed class RequestBodySourceSpec : Akka.TestKit.Xunit2.TestKit
{
    private static byte[] B(string s) => Encoding.ASCII.GetBytes(s);

    [Fact]
    public void A_request_body_source_must_not_read_before_it_is_pulled_and_read_one_chunk_per_pull()
    {
        var res = new FakeHttpResponse(B("one"), B("two"), B("six"));
        var probe = res.RequestBody().RunWith(this.SinkProbe<ByteString>(), Sys.Materializer());

        probe.EnsureSubscription();
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        Assert.Equal(0, Volatile.Read(ref res.GetChunkCalls));

        probe.Request(1);
        Assert.Equal("one", probe.ExpectNext().ToString(Encoding.ASCII));
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Assert.Equal(1, Volatile.Read(ref res.GetChunkCalls));

        probe.Request(1);
        var second = probe.ExpectNext();
        Assert.Equal(2, Volatile.Read(ref res.GetChunkCalls));

        // The fake reuses one buffer: a third read must not change the second element.
        probe.Request(2);
        Assert.Equal("six", probe.ExpectNext().ToString(Encoding.ASCII));
        probe.ExpectComplete();
        Assert.Equal("two", second.ToString(Encoding.ASCII));
        Assert.Equal(4, Volatile.Read(ref res.GetChunkCalls));
    }
}
