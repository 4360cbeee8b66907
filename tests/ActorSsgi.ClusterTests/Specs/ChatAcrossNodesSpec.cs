using ActorSsgi.ClusterTests.Fixtures;

namespace ActorSsgi.ClusterTests.Specs;

/// <summary>The demo's /ws/chat, unchanged, over three nodes: topics are cluster-wide.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ChatAcrossNodesSpec(ThreeNodes fixture) : IClassFixture<ThreeNodes>
{
    private TestCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task A_chat_message_reaches_room_members_on_every_node_both_ways()
    {
        await Cluster.WithOutputOnFailure(async () =>
        {
            var room = "across-" + Guid.NewGuid().ToString("N")[..8];
            await Chat.WarmUpRoomAsync(Cluster.Http, Cluster.Nodes.Select(n => n.BaseAddress), room);
            await using var alice = await WsClient.ConnectAsync(Cluster[0].Ws($"/ws/chat?room={room}"));
            await using var bob = await WsClient.ConnectAsync(Cluster[1].Ws($"/ws/chat?room={room}"));
            await using var carol = await WsClient.ConnectAsync(Cluster[2].Ws($"/ws/chat?room={room}"));
            await using var outsider = await WsClient.ConnectAsync(Cluster[1].Ws($"/ws/chat?room={room}-other"));
            await Chat.WaitUntilConnectedAsync([alice, bob, carol], TimeSpan.FromSeconds(20));

            await bob.SendAsync("from node 2");
            foreach (var member in new[] { alice, bob, carol })
            {
                Assert.Empty(await member.ReceiveUntilAsync("from node 2"));
            }

            await alice.SendAsync("from node 1");
            foreach (var member in new[] { alice, bob, carol })
            {
                Assert.Empty(await member.ReceiveUntilAsync("from node 1"));
            }

            await carol.SendAsync("from node 3");
            foreach (var member in new[] { alice, bob, carol })
            {
                Assert.Empty(await member.ReceiveUntilAsync("from node 3"));
            }

            // The other room heard none of it: its own marker is the first thing it gets.
            await outsider.SendAsync("outsider's marker");
            Assert.Empty(await outsider.ReceiveUntilAsync("outsider's marker"));
        });
    }

    [Fact]
    public async Task Every_node_reports_the_same_three_members_up()
    {
        var expected = Cluster.Nodes.Select(n => n.Address).Order(StringComparer.Ordinal).ToArray();
        foreach (var node in Cluster.Nodes)
        {
            var members = await MembersReply.GetAsync(Cluster.Http, node.BaseAddress);
            Assert.Equal(expected, members.Members.Select(m => m.Address).Order(StringComparer.Ordinal));
            Assert.All(members.Members, m =>
            {
                Assert.Equal("up", m.Status);
                Assert.Equal(["web"], m.Roles);
            });
        }
    }
}
