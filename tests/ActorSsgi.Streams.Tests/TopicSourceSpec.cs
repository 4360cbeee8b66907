using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.TestKit;

namespace ActorSsgi.Streams.Tests;

public sealed class TopicSourceSpec : Akka.TestKit.Xunit2.TestKit
{
    /// <summary>A feed the test publishes to by hand, counting listeners and disposals.</summary>
    private sealed class HandFeed : ISsgiTopicFeed
    {
        public readonly List<Action<SsgiMessage>> Listeners = [];
        public int Disposed;

        public IDisposable Listen(string topic, Action<SsgiMessage> deliver)
        {
            lock (Listeners)
            {
                Listeners.Add(deliver);
            }

            return new Handle(this);
        }

        public void Publish(string text)
        {
            lock (Listeners)
            {
                foreach (var deliver in Listeners)
                {
                    deliver(SsgiMessage.FromText(text));
                }
            }
        }

        private sealed class Handle(HandFeed feed) : IDisposable
        {
            public void Dispose() => Interlocked.Increment(ref feed.Disposed);
        }
    }

    [Fact]
    public void A_topic_source_must_hold_only_its_buffer_for_a_downstream_that_does_not_pull_and_drop_the_oldest()
    {
        var feed = new HandFeed();
        var probe = feed.TopicSource("news", bufferSize: 2).RunWith(this.SinkProbe<SsgiMessage>(), Sys.Materializer());
        probe.EnsureSubscription();
        AwaitCondition(() => feed.Listeners.Count == 1, TimeSpan.FromSeconds(5));

        for (var i = 0; i < 5; i++)
        {
            feed.Publish($"m{i}");
        }

        // Each delivery and the probe's demand are messages to the stream's one interpreter actor, sent in this order
        // from this thread: the demand is seen after all five deliveries, when only the newest two are still held.
        probe.Request(3);
        Assert.Equal("m3", probe.ExpectNext().Text);
        Assert.Equal("m4", probe.ExpectNext().Text);

        feed.Publish("after");
        Assert.Equal("after", probe.ExpectNext().Text);
    }

    [Fact]
    public void A_cancelled_topic_source_must_stop_listening()
    {
        var feed = new HandFeed();
        var probe = feed.TopicSource("news").RunWith(this.SinkProbe<SsgiMessage>(), Sys.Materializer());
        probe.Request(1);
        AwaitCondition(() => feed.Listeners.Count == 1, TimeSpan.FromSeconds(5));
        feed.Publish("one");
        Assert.Equal("one", probe.ExpectNext().Text);

        probe.Cancel();
        AwaitCondition(() => Volatile.Read(ref feed.Disposed) == 1, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void A_topic_source_with_the_fail_strategy_must_fail_when_its_buffer_overflows()
    {
        var feed = new HandFeed();
        var probe = feed.TopicSource("news", bufferSize: 1, OverflowStrategy.Fail).RunWith(this.SinkProbe<SsgiMessage>(), Sys.Materializer());
        probe.EnsureSubscription();
        AwaitCondition(() => feed.Listeners.Count == 1, TimeSpan.FromSeconds(5));
        feed.Publish("kept");
        feed.Publish("overflows");
        probe.ExpectError();
        AwaitCondition(() => Volatile.Read(ref feed.Disposed) == 1, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void A_topic_source_must_refuse_backpressure_with_a_reason()
    {
        var error = Assert.Throws<ArgumentException>(() => new HandFeed().TopicSource("news", overflow: OverflowStrategy.Backpressure));
        Assert.Contains("cannot backpressure", error.Message);
    }
}
