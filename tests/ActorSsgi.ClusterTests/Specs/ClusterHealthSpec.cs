using System.Net;
using System.Text.Json;
using ActorSsgi.ClusterTests.Fixtures;

namespace ActorSsgi.ClusterTests.Specs;

/// <summary>
/// The cluster's readiness check (<c>actorssgi-cluster</c>) through the demo's real probe endpoint: ready once this
/// node is an Up member, not ready while it cannot join (its seed does not answer), alive either way.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterHealthSpec
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task A_node_that_is_an_up_member_is_ready_and_the_cluster_check_says_so()
    {
        var port = FreePorts.Take(1)[0];
        await using var node = await StartNodeAsync(port, seedPort: port);

        var (status, body) = await Eventually.Until(
            () => ProbeAsync(node, "/healthz/ready"),
            r => r.Status == HttpStatusCode.OK,
            Timeout,
            "the self-seeded node to become ready");

        var check = body.GetProperty("checks").GetProperty("actorssgi-cluster");
        Assert.Equal("Healthy", check.GetProperty("status").GetString());
        Assert.StartsWith("member up", check.GetProperty("description").GetString());
        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task A_node_that_cannot_join_is_alive_but_not_ready()
    {
        var ports = FreePorts.Take(2);
        await using var node = await StartNodeAsync(ports[0], seedPort: ports[1]); // nobody listens on the seed's port

        var (status, body) = await ProbeAsync(node, "/healthz/ready");
        var (liveStatus, _) = await ProbeAsync(node, "/healthz/live");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        var check = body.GetProperty("checks").GetProperty("actorssgi-cluster");
        Assert.Equal("Unhealthy", check.GetProperty("status").GetString());
        Assert.StartsWith("member ", check.GetProperty("description").GetString());
        Assert.Equal("Healthy", body.GetProperty("checks").GetProperty("actorssgi").GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, liveStatus);
    }

    private static Task<DemoNode> StartNodeAsync(int port, int seedPort) =>
        DemoNode.StartAsync("health", port,
        [
            "ActorSsgi:Cluster:Enabled=true",
            $"ActorSsgi:Cluster:Port={port}",
            $"ActorSsgi:Cluster:SeedNodes:0=akka.tcp://actorssgi@127.0.0.1:{seedPort}",
            "ActorSsgi:Health:Enabled=true",
        ]);

    private async Task<(HttpStatusCode Status, JsonElement Body)> ProbeAsync(DemoNode node, string path)
    {
        using var response = await _http.GetAsync(new Uri(node.BaseAddress, path));
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, json.RootElement.Clone());
    }
}
