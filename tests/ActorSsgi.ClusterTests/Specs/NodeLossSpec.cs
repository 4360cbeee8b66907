using System.Diagnostics;
using ActorSsgi.ClusterTests.Fixtures;
using Xunit.Abstractions;

namespace ActorSsgi.ClusterTests.Specs;

/// <summary>kill -9 of a node while clients are connected to every node.</summary>
[Collection(ClusterCollection.Name)]
public sealed class NodeLossSpec(ITestOutputHelper output)
{
    [Fact]
    public async Task When_a_node_is_killed_the_survivors_keep_serving_drop_it_within_the_resolver_timeout_and_its_clients_rejoin_elsewhere()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        await cluster.WithOutputOnFailure(async () =>
        {
            var room = "loss-" + Guid.NewGuid().ToString("N")[..8];
            var suffix = Guid.NewGuid().ToString("N")[..8];
            var (survivor1, survivor2, victim) = (cluster[0], cluster[1], cluster[2]);
            await Chat.WarmUpRoomAsync(cluster.Http, cluster.Nodes.Select(n => n.BaseAddress), room);

            await using var alice = await WsClient.ConnectAsync(survivor1.Ws($"/ws/chat?room={room}"));
            await using var bob = await WsClient.ConnectAsync(survivor2.Ws($"/ws/chat?room={room}"));
            var carol = await WsClient.ConnectAsync(victim.Ws($"/ws/chat?room={room}"));
            await Chat.WaitUntilConnectedAsync([alice, bob, carol], TimeSpan.FromSeconds(20));
            await using var sender = await WsClient.ConnectAsync(survivor1.Ws($"/ws/user?id=sender-{suffix}"));
            var dave = await WsClient.ConnectAsync(victim.Ws($"/ws/user?id=dave-{suffix}"));
            await alice.SendAsync("before the crash");
            foreach (var member in new[] { alice, bob, carol })
            {
                await member.ReceiveUntilAsync("before the crash");
            }

            var watch = Stopwatch.StartNew();
            victim.KillHard();

            // Its clients see their connections end (cut: the process is gone, no close frame).
            Assert.Null(await carol.Ended.WaitAsync(TimeSpan.FromSeconds(10)));
            Assert.Null(await dave.Ended.WaitAsync(TimeSpan.FromSeconds(10)));

            // The survivors keep serving at once, before membership has even converged.
            await bob.SendAsync("right after the crash");
            Assert.Empty(await alice.ReceiveUntilAsync("right after the crash"));
            Assert.Empty(await bob.ReceiveUntilAsync("right after the crash"));

            // A message to a key whose only session died with its node is reported, not dropped.
            await sender.SendAsync(KeyedSessionsSpec.Json(new { to = $"dave-{suffix}", text = "are you there?" }));
            var report = KeyedSessionsSpec.Report(await sender.ReceiveAsync(TimeSpan.FromSeconds(10)));
            Assert.Equal("undeliverable", report.GetProperty("status").GetString());

            // Membership drops the dead node: failure detection (about 3-5 s) plus the resolver's stable-after, with margin.
            var bound = TestCluster.StableAfter + TimeSpan.FromSeconds(20);
            await cluster.WaitForMembersAsync([survivor1, survivor2], bound);
            output.WriteLine($"kill -9 to removal from membership (as both survivors see it): {watch.ElapsedMilliseconds} ms");

            // Still undeliverable once the node is gone for good (the binding is remembered for the retention period).
            await sender.SendAsync(KeyedSessionsSpec.Json(new { to = $"dave-{suffix}", text = "still there?" }));
            Assert.Equal("undeliverable", KeyedSessionsSpec.Report(await sender.ReceiveAsync()).GetProperty("status").GetString());

            // Carol reconnects to a survivor and is back in her room. (Whatever history the room replays first is
            // skipped: if the room's entity lived on the dead node, it starts again empty on another.)
            await using var carolAgain = await WsClient.ConnectAsync(survivor2.Ws($"/ws/chat?room={room}"));
            await Chat.WaitUntilConnectedAsync([alice, bob, carolAgain], TimeSpan.FromSeconds(20));
            await alice.SendAsync("welcome back");
            await carolAgain.ReceiveUntilAsync("welcome back");
            await bob.ReceiveUntilAsync("welcome back");

            await carol.DisposeAsync();
            await dave.DisposeAsync();
        });
    }
}
