using System.Net.Http.Json;
using System.Text.Json;
using ActorSsgi.ClusterTests.Fixtures;

namespace ActorSsgi.ClusterTests.Specs;

/// <summary>Two nodes behind nginx with config/nginx.example.conf: plain requests spread, WebSockets upgrade, rooms span both.</summary>
[Collection(ClusterCollection.Name)]
public sealed class LoadBalancerSpec
{
    [Fact]
    public async Task Behind_nginx_requests_spread_over_both_nodes_and_a_chat_works_across_them()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        await cluster.WithOutputOnFailure(async () =>
        {
            await using var nginx = await Nginx.StartAsync([cluster[0].BaseAddress, cluster[1].BaseAddress], cluster.Http);

            // Round robin: a few requests reach both nodes (the demo's /echo tells which address served it).
            var served = new HashSet<string>();
            for (var i = 0; i < 6; i++)
            {
                using var echo = JsonDocument.Parse(await cluster.Http.GetStringAsync(new Uri(nginx.BaseAddress, "/echo")));
                served.Add(echo.RootElement.GetProperty("server_address").GetString()!);
            }

            Assert.Equal(cluster.Nodes.Select(n => n.BaseAddress.Authority).Order(), served.Order());
            var members = await cluster.Http.GetFromJsonAsync<MembersReply>(new Uri(nginx.BaseAddress, "/cluster/members"));
            Assert.Equal(2, members!.UpAndReachable.Count);

            // Sessions through nginx land on both nodes (round robin again) and still share the room.
            var room = "nginx-" + Guid.NewGuid().ToString("N")[..8];
            await Chat.WarmUpRoomAsync(cluster.Http, [cluster[0].BaseAddress, cluster[1].BaseAddress], room);
            var clients = new List<WsClient>();
            try
            {
                for (var i = 0; i < 4; i++)
                {
                    clients.Add(await WsClient.ConnectAsync(nginx.Ws($"/ws/chat?room={room}")));
                }

                await Chat.WaitUntilConnectedAsync(clients, TimeSpan.FromSeconds(20));
                await clients[3].SendAsync("through nginx");
                foreach (var client in clients)
                {
                    Assert.Empty(await client.ReceiveUntilAsync("through nginx"));
                }
            }
            finally
            {
                foreach (var client in clients)
                {
                    await client.DisposeAsync();
                }
            }
        });
    }
}
