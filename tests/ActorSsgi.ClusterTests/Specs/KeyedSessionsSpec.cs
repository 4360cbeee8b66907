using System.Text.Json;
using ActorSsgi.ClusterTests.Fixtures;

namespace ActorSsgi.ClusterTests.Specs;

/// <summary>The demo's /ws/user?id=U: sessions bound to a key, reached from any node.</summary>
[Collection(ClusterCollection.Name)]
public sealed class KeyedSessionsSpec(ThreeNodes fixture) : IClassFixture<ThreeNodes>
{
    private TestCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task A_keyed_message_reaches_the_session_with_that_key_on_another_node()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        await using var alice = await WsClient.ConnectAsync(Cluster[0].Ws($"/ws/user?id=alice-{suffix}"));
        await using var bob = await WsClient.ConnectAsync(Cluster[2].Ws($"/ws/user?id=bob-{suffix}"));

        await alice.SendAsync(Json(new { to = $"bob-{suffix}", text = "hello bob" }));
        var report = Report(await alice.ReceiveAsync(what: "alice's send report"));
        Assert.Equal("delivered", report.GetProperty("status").GetString());
        Assert.Equal(1, report.GetProperty("sessions").GetInt32());
        var received = JsonDocument.Parse(await bob.ReceiveAsync(what: "alice's message at bob")).RootElement;
        Assert.Equal($"alice-{suffix}", received.GetProperty("from").GetString());
        Assert.Equal("hello bob", received.GetProperty("text").GetString());

        // And back, from node 3 to node 1.
        await bob.SendAsync(Json(new { to = $"alice-{suffix}", text = "hello alice" }));
        Assert.Equal("delivered", Report(await bob.ReceiveAsync()).GetProperty("status").GetString());
        Assert.Equal("hello alice", JsonDocument.Parse(await alice.ReceiveAsync()).RootElement.GetProperty("text").GetString());
    }

    [Fact]
    public async Task A_key_bound_by_two_sessions_on_different_nodes_reaches_both_and_an_unknown_key_reaches_none()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        await using var sender = await WsClient.ConnectAsync(Cluster[1].Ws($"/ws/user?id=sender-{suffix}"));
        await using var tab1 = await WsClient.ConnectAsync(Cluster[0].Ws($"/ws/user?id=dana-{suffix}"));
        await using var tab2 = await WsClient.ConnectAsync(Cluster[2].Ws($"/ws/user?id=dana-{suffix}"));

        await sender.SendAsync(Json(new { to = $"dana-{suffix}", text = "to both tabs" }));
        var report = Report(await sender.ReceiveAsync());
        Assert.Equal("delivered", report.GetProperty("status").GetString());
        Assert.Equal(2, report.GetProperty("sessions").GetInt32());
        Assert.Contains("to both tabs", await tab1.ReceiveAsync());
        Assert.Contains("to both tabs", await tab2.ReceiveAsync());

        await sender.SendAsync(Json(new { to = $"nobody-{suffix}", text = "anyone?" }));
        Assert.Equal("no-session", Report(await sender.ReceiveAsync()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_closed_session_loses_its_key()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        await using var sender = await WsClient.ConnectAsync(Cluster[0].Ws($"/ws/user?id=sender-{suffix}"));
        var erin = await WsClient.ConnectAsync(Cluster[1].Ws($"/ws/user?id=erin-{suffix}"));
        await erin.DisposeAsync();

        // The unbind spreads by gossip; a send finds "no session" once it has (never "delivered" to a closed one for long).
        await Eventually.Until(
            async () =>
            {
                await sender.SendAsync(Json(new { to = $"erin-{suffix}", text = "still there?" }));
                return Report(await sender.ReceiveAsync()).GetProperty("status").GetString();
            },
            status => status == "no-session",
            TimeSpan.FromSeconds(10),
            "erin's key to be gone");
    }

    internal static string Json(object value) => JsonSerializer.Serialize(value);

    internal static JsonElement Report(string text) => JsonDocument.Parse(text).RootElement;
}
