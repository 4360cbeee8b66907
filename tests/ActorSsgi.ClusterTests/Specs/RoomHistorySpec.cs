using ActorSsgi.ClusterTests.Fixtures;

namespace ActorSsgi.ClusterTests.Specs;

/// <summary>A chat room's history lives in one sharded entity, reached from sessions on every node.</summary>
[Collection(ClusterCollection.Name)]
public sealed class RoomHistorySpec
{
    [Fact]
    public async Task A_room_history_of_the_last_50_messages_survives_the_death_of_a_node_that_does_not_own_it()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        await cluster.WithOutputOnFailure(async () =>
        {
            var room = "history-" + Guid.NewGuid().ToString("N")[..8];

            // 60 messages from a session on node 1: the room keeps the last 50.
            await using (var writer = await WsClient.ConnectAsync(cluster[0].Ws($"/ws/chat?room={room}")))
            {
                for (var i = 0; i < 60; i++)
                {
                    await writer.SendAsync($"message {i}");
                    Assert.Equal($"message {i}", await writer.ReceiveAsync());
                }
            }

            var expected = Enumerable.Range(10, 50).Select(i => $"message {i}").ToArray();
            var history = await Eventually.Until(
                () => RoomHistoryReply.GetAsync(cluster.Http, cluster[1].BaseAddress, room),
                h => h.Messages.Count == 50 && h.Messages[^1] == "message 59",
                TimeSpan.FromSeconds(10),
                "the room's history to hold the last 50 messages");
            Assert.Equal(expected, history.Messages);

            // Kill a node that does not own the room; the others drop it from membership, and the room still answers.
            var owner = cluster.ByAddress(history.Owner);
            var victim = cluster.Nodes.First(n => n != owner);
            var survivors = cluster.Nodes.Where(n => n != victim).ToArray();
            victim.KillHard();
            await cluster.WaitForMembersAsync(survivors, TimeSpan.FromSeconds(30));

            foreach (var node in survivors)
            {
                // A session newly joined on each survivor is sent the 50 messages first, oldest first.
                await using var joiner = await WsClient.ConnectAsync(node.Ws($"/ws/chat?room={room}"));
                var replay = new List<string>();
                for (var i = 0; i < 50; i++)
                {
                    replay.Add(await joiner.ReceiveAsync(what: $"history message {i} on {node.Name}"));
                }

                Assert.Equal(expected, replay);
                var after = await RoomHistoryReply.GetAsync(cluster.Http, node.BaseAddress, room);
                Assert.Equal(history.Owner, after.Owner);
            }
        });
    }
}
