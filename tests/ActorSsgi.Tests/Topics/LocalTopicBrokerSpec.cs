using ActorSsgi.Topics;
using ActorSsgi.WebSockets;
using Xunit.Abstractions;

namespace ActorSsgi.Tests.Topics;

/// <summary>
/// <see cref="LocalTopicBroker"/>'s subscriber snapshot: a publish walks an array made at the first publish after a
/// change, so every change in between must be seen by the next publish, never a stale array.
/// </summary>
public sealed class LocalTopicBrokerSpec(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(output: output)
{
    private static readonly TopicDelivery First = new("one"u8.ToArray(), true), Second = new("two"u8.ToArray(), true),
        Third = new("three"u8.ToArray(), true);

    [Fact]
    public async Task A_publish_after_a_join_or_a_leave_reaches_exactly_the_current_subscribers()
    {
        var broker = new LocalTopicBroker();
        var (a, b, other) = (CreateTestProbe(), CreateTestProbe(), CreateTestProbe());
        broker.Subscribe("room", a);
        broker.Subscribe("elsewhere", other);
        broker.Publish("room", First); // makes the snapshot of [a]
        await a.ExpectMsgAsync(First);

        // A join alone, then a leave alone, each followed by a publish: either change must renew the snapshot.
        broker.Subscribe("room", b);
        broker.Publish("room", Second);
        await a.ExpectMsgAsync(Second);
        await b.ExpectMsgAsync(Second);

        broker.Unsubscribe("room", a);
        broker.Publish("room", Third);
        await b.ExpectMsgAsync(Third);
        await a.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
        await other.ExpectNoMsgAsync(TimeSpan.Zero);
        Assert.Equal(1, broker.SubscriberCount("room"));
    }

    [Fact]
    public async Task Add_and_remove_report_a_change_only_once_and_an_emptied_topic_is_gone()
    {
        var broker = new LocalTopicBroker();
        var session = CreateTestProbe();

        Assert.True(broker.Add("room", session));
        Assert.False(broker.Add("room", session));
        broker.Publish("room", First);
        await session.ExpectMsgAsync(First);
        await session.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100)); // subscribed once, delivered once

        Assert.True(broker.Remove("room", session));
        Assert.False(broker.Remove("room", session));
        Assert.Equal(0, broker.SubscriberCount("room"));
        broker.Publish("room", Second);
        await session.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
    }
}
