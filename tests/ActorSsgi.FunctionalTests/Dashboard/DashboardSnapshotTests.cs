using System.Net.WebSockets;
using System.Text.Json;
using System.Diagnostics;
using ActorSsgi.FunctionalTests.WebSockets;
using Xunit.Abstractions;

namespace ActorSsgi.FunctionalTests.Dashboard;

/// <summary>
/// <c>/ws/dashboard</c> read with a ClientWebSocket: the snapshot's shape, a member going unreachable (from a fake
/// membership source), a room's session count going up and down, and the server's own instruments feeding it.
/// </summary>
public sealed class DashboardSnapshotTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_snapshot_arrives_at_once_and_every_second_and_shows_a_member_going_unreachable_then_down()
    {
        var membership = new FakeMembership();
        await using var host = await DashboardHost.StartAsync(membership);
        using var dashboard = await WsClient.ConnectAsync(host.Ws("/ws/dashboard"));

        var first = await NextAsync(dashboard);
        Assert.Equal(FakeMembership.SelfAddress, first.GetProperty("node").GetString());
        Assert.True(first.GetProperty("clustered").GetBoolean());
        var peer = Member(first, FakeMembership.PeerAddress);
        Assert.Equal("up", peer.GetProperty("status").GetString());
        Assert.True(peer.GetProperty("reachable").GetBoolean());
        Assert.True(Member(first, FakeMembership.SelfAddress).GetProperty("self").GetBoolean());

        membership.SetPeer("up", reachable: false);
        await UntilAsync(dashboard, s => !Member(s, FakeMembership.PeerAddress).GetProperty("reachable").GetBoolean(), "the peer unreachable");
        membership.SetPeer("down", reachable: false);
        var down = await UntilAsync(dashboard, s => Member(s, FakeMembership.PeerAddress).GetProperty("status").GetString() == "down", "the peer down");

        // Pushed by the clock: by now at least one second has been sampled, and the sessions series counts this one.
        Assert.True(down.GetProperty("series").GetProperty("time").GetArrayLength() >= 1);
        Assert.Contains("actorssgi.websocket.sessions.active", down.GetProperty("instruments").EnumerateArray().Select(e => e.GetString()));
        Assert.True(down.GetProperty("now").GetProperty("web_socket_sessions").GetInt64() >= 1);
    }

    [Fact]
    public async Task A_rooms_session_count_follows_joins_and_leaves()
    {
        var watch = Stopwatch.StartNew();
        await using var host = await DashboardHost.StartAsync();
        using var dashboard = await WsClient.ConnectAsync(host.Ws("/ws/dashboard"));
        output.WriteLine($"dashboard open after {watch.ElapsedMilliseconds} ms");
        var room = "dash-" + Guid.NewGuid().ToString("N")[..8];
        using var alice = await WsClient.ConnectAsync(host.Ws($"/ws/chat?room={room}"));
        var bob = await WsClient.ConnectAsync(host.Ws($"/ws/chat?room={room}"));
        await UntilAsync(dashboard, s => Sessions(s, room) == 2, $"room {room} with 2 sessions");
        output.WriteLine($"two sessions shown after {watch.ElapsedMilliseconds} ms");

        await bob.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
        bob.Dispose();
        await UntilAsync(dashboard, s => Sessions(s, room) == 1, $"room {room} with 1 session");
        await alice.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
        await UntilAsync(dashboard, s => Sessions(s, room) == 0, $"room {room} gone");
        output.WriteLine($"room gone after {watch.ElapsedMilliseconds} ms");
    }

    private static JsonElement Member(JsonElement snapshot, string address) =>
        snapshot.GetProperty("members").EnumerateArray().Single(m => m.GetProperty("address").GetString() == address);

    private static int Sessions(JsonElement snapshot, string room) =>
        snapshot.GetProperty("rooms").EnumerateArray()
            .Where(r => r.GetProperty("room").GetString() == room)
            .Select(r => r.GetProperty("sessions").GetInt32())
            .SingleOrDefault();

    private static async Task<JsonElement> NextAsync(ClientWebSocket socket)
    {
        var message = await socket.ReceiveAsync(Bound, "a dashboard snapshot");
        Assert.Equal(WebSocketMessageType.Text, message.Type);
        return JsonDocument.Parse(message.Data).RootElement.Clone();
    }

    // Each snapshot is a whole picture, so waiting is reading them until one shows the state (bounded).
    internal static async Task<JsonElement> UntilAsync(ClientWebSocket socket, Func<JsonElement, bool> done, string what)
    {
        var deadline = DateTime.UtcNow + Bound;
        JsonElement last = default;
        while (DateTime.UtcNow < deadline)
        {
            last = await NextAsync(socket);
            if (done(last))
            {
                return last;
            }
        }

        throw new TimeoutException($"No snapshot showed {what} within {Bound.TotalSeconds} s; the last: {last}");
    }
}
