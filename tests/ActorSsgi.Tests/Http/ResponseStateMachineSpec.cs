using Akka.Actor;
using ActorSsgi.TestKit.Http;
using ActorSsgi.Tests.Support;
using Xunit.Abstractions;
using static ActorSsgi.Tests.Support.Handlers;

namespace ActorSsgi.Tests.Http;

/// <summary>The response state machine (Pending, HeadersSent, Streaming, Ended) as a client sees it.</summary>
public sealed class ResponseStateMachineSpec(ITestOutputHelper output) : HttpSpec(output)
{
    [Fact]
    public async Task A_response_must_end_with_the_body_and_its_content_length_on_send()
    {
        var kit = await KitAsync(Sync(res => res.Send("hello")));

        var response = await kit.GetAsync("/");

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("hello", response.BodyText);
        Assert.Equal(5, response.ContentLength);
        Assert.False(response.IsChunked);
        Assert.True(response.BodyComplete);
        Assert.False(response.Aborted);
        Assert.Equal("ActorSsgi", response.Header("server"));
        AssertClean(response);
    }

    [Theory]
    [InlineData("null string")]
    [InlineData("Send()")]
    [InlineData("empty bytes")]
    public async Task A_response_must_end_without_a_body_on_send_none(string how)
    {
        var kit = await KitAsync(Sync(res =>
        {
            switch (how)
            {
                case "null string":
                    res.Send((string?)null);
                    break;
                case "Send()":
                    res.Send();
                    break;
                default:
                    res.Send(ReadOnlyMemory<byte>.Empty);
                    break;
            }
        }));

        var response = await kit.GetAsync("/");

        Assert.Equal(200, response.StatusCode);
        Assert.Empty(response.Body);
        Assert.Equal(0, response.ContentLength);
        Assert.False(response.IsChunked);
        AssertClean(response);
    }

    [Fact]
    public async Task A_response_must_stay_open_with_has_more_and_end_chunked_on_the_next_send()
    {
        var gate = new TaskCompletionSource();
        var kit = await KitAsync(Entry(async res =>
        {
            res.Send("first ", hasMore: true);
            await gate.Task;
            res.Send("last");
        }));

        var response = kit.Send(SyntheticRequest.Get("/"));
        await response.WaitForBodyAsync(6);

        Assert.Equal("first ", response.BodyText);
        Assert.False(response.IsCompleted);
        Assert.True(response.IsChunked);
        Assert.Null(response.ContentLength);

        gate.SetResult();
        await response.WaitAsync();
        Assert.Equal("first last", response.BodyText);
        Assert.True(response.BodyComplete);
        AssertClean(response);
    }

    [Fact]
    public async Task A_response_must_end_exactly_at_total_size_with_send_chunk_and_carry_that_content_length()
    {
        var kit = await KitAsync(Entry(async res =>
        {
            TestActor.Tell(await res.SendChunk("abc"u8.ToArray(), 6));
            TestActor.Tell(await res.SendChunk("def", 6));
        }));

        var response = await kit.GetAsync("/");

        Assert.Equal(new SsgiChunkResult(Sent: true, Ended: false), ExpectMsg<SsgiChunkResult>());
        Assert.Equal(new SsgiChunkResult(Sent: true, Ended: true), ExpectMsg<SsgiChunkResult>());
        Assert.Equal("abcdef", response.BodyText);
        Assert.Equal(6, response.ContentLength);
        Assert.False(response.IsChunked);
        AssertClean(response);
    }

    [Fact]
    public async Task A_response_must_stream_send_chunk_without_total_size_chunked_until_send()
    {
        var kit = await KitAsync(Entry(async res =>
        {
            TestActor.Tell(await res.SendChunk("ab"));
            TestActor.Tell(await res.SendChunk("cd"));
            res.Send();
        }));

        var response = await kit.GetAsync("/");

        Assert.Equal(new SsgiChunkResult(true, false), ExpectMsg<SsgiChunkResult>());
        Assert.Equal(new SsgiChunkResult(true, false), ExpectMsg<SsgiChunkResult>());
        Assert.Equal("abcd", response.BodyText);
        Assert.True(response.IsChunked);
        AssertClean(response);
    }

    [Fact]
    public async Task A_response_must_throw_when_send_chunk_would_exceed_total_size_and_stay_usable()
    {
        var kit = await KitAsync(Entry(async res =>
        {
            await res.SendChunk("abcd", 6);
            try
            {
                await res.SendChunk("abc", 6);
                TestActor.Tell("no exception");
            }
            catch (InvalidOperationException)
            {
                TestActor.Tell("threw");
            }

            TestActor.Tell(await res.SendChunk("ef", 6));
        }));

        var response = await kit.GetAsync("/");

        ExpectMsg("threw");
        Assert.Equal(new SsgiChunkResult(true, true), ExpectMsg<SsgiChunkResult>());
        Assert.Equal("abcdef", response.BodyText);
        Assert.Equal(6, response.ContentLength);
        AssertClean(response);
    }

    [Fact]
    public async Task A_response_must_send_status_and_headers_set_before_the_body()
    {
        var kit = await KitAsync(Sync(res =>
        {
            res.SendStatus(201);
            res.SendHeaders(("X-One", "1"), ("set-cookie", "a=1"));
            res.SendHeaders([new KeyValuePair<string, string>("set-cookie", "b=2")]);
            res.SendStatus(202);
            res.Send("made");
        }));

        var response = await kit.GetAsync("/");

        Assert.Equal(202, response.StatusCode);
        Assert.Equal("1", response.Headers["x-one"]);
        Assert.Equal(["a=1", "b=2"], response.HeaderValues("Set-Cookie"));
        Assert.Equal("made", response.BodyText);
        AssertClean(response);
    }

    [Fact]
    public async Task A_response_must_throw_on_status_or_headers_after_the_body_started()
    {
        var kit = await KitAsync(Sync(res =>
        {
            res.Send("body", hasMore: true);
            TestActor.Tell(Record.Exception(() => res.SendStatus(201))?.GetType() ?? typeof(void));
            TestActor.Tell(Record.Exception(() => res.SendHeaders(("x-late", "1")))?.GetType() ?? typeof(void));
            res.Send();
        }));

        var response = await kit.GetAsync("/");

        ExpectMsg(typeof(InvalidOperationException));
        ExpectMsg(typeof(InvalidOperationException));
        Assert.Equal(200, response.StatusCode);
        Assert.Null(response.Header("x-late"));
        Assert.Equal("body", response.BodyText);
        AssertClean(response);
    }

    [Fact]
    public async Task A_response_must_throw_on_send_status_or_send_chunk_after_it_ended()
    {
        var kit = await KitAsync(Sync(res =>
        {
            res.Send("once");
            TestActor.Tell(Record.Exception(() => res.Send("twice"))?.GetType() ?? typeof(void));
            TestActor.Tell(Record.Exception(() => res.Send())?.GetType() ?? typeof(void));
            TestActor.Tell(Record.Exception(() => res.SendChunk("more"))?.GetType() ?? typeof(void));
            TestActor.Tell(Record.Exception(() => res.SendStatus(500))?.GetType() ?? typeof(void));
        }));

        var response = await kit.GetAsync("/");

        for (var i = 0; i < 4; i++)
        {
            ExpectMsg(typeof(InvalidOperationException));
        }

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("once", response.BodyText);
        AssertClean(response);
    }

    [Fact]
    public async Task A_response_must_reject_a_status_outside_100_to_599()
    {
        var kit = await KitAsync(Sync(res =>
        {
            TestActor.Tell(Record.Exception(() => res.SendStatus(99))?.GetType() ?? typeof(void));
            TestActor.Tell(Record.Exception(() => res.SendStatus(600))?.GetType() ?? typeof(void));
            res.Send("fine");
        }));

        var response = await kit.GetAsync("/");

        ExpectMsg(typeof(ArgumentOutOfRangeException));
        ExpectMsg(typeof(ArgumentOutOfRangeException));
        Assert.Equal(200, response.StatusCode);
    }

    [Fact]
    public async Task A_response_must_send_no_content_length_for_a_204()
    {
        var kit = await KitAsync(Sync(res =>
        {
            res.SendStatus(204);
            res.Send();
        }));

        var response = await kit.GetAsync("/");

        Assert.Equal(204, response.StatusCode);
        Assert.Null(response.ContentLength);
        Assert.Empty(response.Body);
        AssertClean(response);
    }

    [Fact]
    public async Task A_response_must_deliver_a_send_made_before_the_first_await_before_the_entry_completes()
    {
        var gate = new TaskCompletionSource();
        var kit = await KitAsync(Entry(async res =>
        {
            res.Send("answered");
            await gate.Task;
        }));

        var response = kit.Send(SyntheticRequest.Get("/"));
        try
        {
            // send() ends the response: the client must not wait for the rest of the entry.
            await response.WaitForBodyAsync("answered".Length, TimeSpan.FromSeconds(3));
            await AwaitAssertAsync(() => Assert.True(response.BodyComplete, response.ToString()), TimeSpan.FromSeconds(3));
            Assert.Equal("answered", response.BodyText);
            Assert.False(response.ServerTask.IsCompleted);
        }
        finally
        {
            gate.SetResult();
        }

        await response.WaitAsync();
        Assert.Equal(8, response.ContentLength);
        AssertClean(response);
    }

    [Fact]
    public async Task A_response_must_deliver_a_send_made_after_an_await_before_the_entry_completes()
    {
        var gate = new TaskCompletionSource();
        var kit = await KitAsync(Entry(async res =>
        {
            await Task.Yield();
            res.Send("answered");
            await gate.Task;
        }));

        var response = kit.Send(SyntheticRequest.Get("/"));
        try
        {
            await response.WaitForBodyAsync("answered".Length, TimeSpan.FromSeconds(3));
            await AwaitAssertAsync(() => Assert.True(response.BodyComplete, response.ToString()), TimeSpan.FromSeconds(3));
            Assert.False(response.ServerTask.IsCompleted);
        }
        finally
        {
            gate.SetResult();
        }

        await response.WaitAsync();
        Assert.Equal("answered", response.BodyText);
        AssertClean(response);
    }
}
