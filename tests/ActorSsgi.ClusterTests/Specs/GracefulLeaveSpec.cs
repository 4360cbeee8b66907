using System.Diagnostics;
using System.Net.WebSockets;
using ActorSsgi.ClusterTests.Fixtures;
using Xunit.Abstractions;

namespace ActorSsgi.ClusterTests.Specs;

/// <summary>SIGTERM: the node closes its sessions with 1001, then leaves the cluster through CoordinatedShutdown.</summary>
[Collection(ClusterCollection.Name)]
public sealed class GracefulLeaveSpec(ITestOutputHelper output)
{
    [Fact]
    public async Task On_SIGTERM_a_node_closes_its_sessions_with_1001_and_leaves_the_cluster_without_being_downed()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        await cluster.WithOutputOnFailure(async () =>
        {
            var (stays, leaves) = (cluster[0], cluster[2]);
            var room = "leave-" + Guid.NewGuid().ToString("N")[..8];
            await Chat.WarmUpRoomAsync(cluster.Http, [stays.BaseAddress, leaves.BaseAddress], room);
            await using var staying = await WsClient.ConnectAsync(stays.Ws($"/ws/chat?room={room}"));
            await using var leaving = await WsClient.ConnectAsync(leaves.Ws($"/ws/chat?room={room}"));
            await Chat.WaitUntilConnectedAsync([staying, leaving], TimeSpan.FromSeconds(20));

            var watch = Stopwatch.StartNew();
            leaves.Terminate();

            Assert.Equal((WebSocketCloseStatus)1001, await leaving.Ended.WaitAsync(TimeSpan.FromSeconds(10)));
            Assert.Equal(0, await leaves.WaitForExitAsync(TimeSpan.FromSeconds(30)));
            await cluster.WaitForMembersAsync([cluster[0], cluster[1]], TimeSpan.FromSeconds(15));
            output.WriteLine($"SIGTERM to removal from membership: {watch.ElapsedMilliseconds} ms");

            // It left (Leaving -> Exiting -> Removed), it was not found unreachable and downed by the resolver.
            Assert.Contains($"MemberExited: {leaves.Address}", stays.Output);
            Assert.DoesNotContain($"unreachable: {leaves.Address}", stays.Output);
            Assert.Contains("Closing 1 WebSocket sessions with 1001", leaves.Output);

            // And the room goes on without it.
            await staying.SendAsync("still here");
            Assert.Empty(await staying.ReceiveUntilAsync("still here"));
        });
    }
}
