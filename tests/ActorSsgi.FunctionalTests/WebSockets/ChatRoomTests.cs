using System.Collections.Concurrent;
using System.Net;
using System.Net.WebSockets;
using Akka.Actor;
using Akka.Event;

namespace ActorSsgi.FunctionalTests.WebSockets;

/// <summary>The demo's /ws/chat?room=R: topics fan a message out to a room, the sender included, and nowhere else.</summary>
public sealed class ChatRoomTests(WsServerFixture fixture) : IClassFixture<WsServerFixture>
{
    private WsServer Server => fixture.Server;

    [Fact]
    public async Task Everyone_in_a_room_gets_a_message_including_its_sender_and_another_room_does_not()
    {
        var room = "r-" + Guid.NewGuid().ToString("N")[..8];
        using var alice = await WsClient.ConnectAsync(Server.Ws($"/ws/chat?room={room}"));
        using var bob = await WsClient.ConnectAsync(Server.Ws($"/ws/chat?room={room}"));
        using var carol = await WsClient.ConnectAsync(Server.Ws($"/ws/chat?room={room}-other"));

        await alice.SendTextAsync("hello room");

        Assert.Equal("hello room", (await alice.ReceiveAsync(what: "alice's own message")).Text);
        Assert.Equal("hello room", (await bob.ReceiveAsync(what: "alice's message at bob")).Text);

        // Absence, fairly: carol's own marker is published after alice's message reached both of its receivers, so
        // had carol been subscribed to alice's room, that message would be in her queue before the marker.
        await carol.SendTextAsync("carol's marker");
        var beforeMarker = await carol.ReceiveUntilTextAsync("carol's marker");
        Assert.Empty(beforeMarker);

        // And the other way round: carol's marker did not reach alice's room.
        await bob.SendTextAsync("bob's marker");
        Assert.Empty(await alice.ReceiveUntilTextAsync("bob's marker"));
        Assert.Empty(await bob.ReceiveUntilTextAsync("bob's marker"));

        // Binary messages keep their type through the topic.
        await bob.SendBinaryAsync([1, 2, 3]);
        var binary = await alice.ReceiveAsync();
        Assert.Equal(WebSocketMessageType.Binary, binary.Type);
        Assert.Equal([1, 2, 3], binary.Data);

        await Task.WhenAll(alice.CloseQuietlyAsync(), bob.CloseQuietlyAsync(), carol.CloseQuietlyAsync());
    }

    [Fact]
    public async Task A_session_that_closed_leaves_its_room()
    {
        var room = "leave-" + Guid.NewGuid().ToString("N")[..8];
        var deadLetters = new ConcurrentQueue<string>();
        var listener = Server.ActorSystem.ActorOf(Props.Create(() => new DeadLetterListener(deadLetters)));
        Server.ActorSystem.EventStream.Subscribe(listener, typeof(AllDeadLetters));
        try
        {
            using var stays1 = await WsClient.ConnectAsync(Server.Ws($"/ws/chat?room={room}"));
            using var stays2 = await WsClient.ConnectAsync(Server.Ws($"/ws/chat?room={room}"));
            var polite = await WsClient.ConnectAsync(Server.Ws($"/ws/chat?room={room}"));
            var rude = await WsClient.ConnectAsync(Server.Ws($"/ws/chat?room={room}"));

            await stays1.SendTextAsync("all four");
            foreach (var ws in new[] { stays1, stays2, polite, rude })
            {
                Assert.Equal("all four", (await ws.ReceiveAsync()).Text);
            }

            // One leaves with a closing handshake, one just drops its connection.
            using (var timeout = new CancellationTokenSource(WsClient.Timeout))
            {
                await polite.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
            }

            polite.Dispose();
            rude.Abort();
            rude.Dispose();

            // One settling round (the server may still be finishing the two sessions), then rounds that must not
            // address a session that ended.
            await stays2.SendTextAsync("settle");
            Assert.Empty(await stays1.ReceiveUntilTextAsync("settle"));
            Assert.Empty(await stays2.ReceiveUntilTextAsync("settle"));
            await Eventually(() => DeadLettersOfTopics(deadLetters), count => RoundDeliversNoDeadLetter(stays1, stays2, deadLetters, count));

            Assert.Empty(Server.Log.Errors);
            await Task.WhenAll(stays1.CloseQuietlyAsync(), stays2.CloseQuietlyAsync());
        }
        finally
        {
            Server.ActorSystem.EventStream.Unsubscribe(listener);
            Server.ActorSystem.Stop(listener);
        }
    }

    [Fact]
    public async Task A_chat_upgrade_without_a_room_is_rejected_with_400()
    {
        using var ws = new ClientWebSocket();
        ws.Options.CollectHttpResponseDetails = true;
        using var timeout = new CancellationTokenSource(WsClient.Timeout);

        await Assert.ThrowsAsync<WebSocketException>(() => ws.ConnectAsync(Server.Ws("/ws/chat"), timeout.Token));

        Assert.Equal(HttpStatusCode.BadRequest, ws.HttpStatusCode);
    }

    [Fact]
    public async Task Many_sessions_joining_and_dropping_do_not_disturb_the_ones_that_stay()
    {
        var room = "churn-" + Guid.NewGuid().ToString("N")[..8];
        using var stays = await WsClient.ConnectAsync(Server.Ws($"/ws/chat?room={room}"));
        for (var round = 0; round < 5; round++)
        {
            var guests = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => WsClient.ConnectAsync(Server.Ws($"/ws/chat?room={room}"))));
            await stays.SendTextAsync("round " + round);
            Assert.Empty(await stays.ReceiveUntilTextAsync("round " + round));
            foreach (var guest in guests)
            {
                // (A demo host with room history would replay earlier rounds first.)
                await guest.ReceiveUntilTextAsync("round " + round);
                if (round % 2 == 0)
                {
                    guest.Abort();
                    guest.Dispose();
                }
                else
                {
                    await guest.CloseQuietlyAsync();
                }
            }
        }

        await stays.SendTextAsync("last");
        Assert.Empty(await stays.ReceiveUntilTextAsync("last"));
        Assert.Empty(Server.Log.Errors);
        await stays.CloseQuietlyAsync();
    }

    private static int DeadLettersOfTopics(ConcurrentQueue<string> deadLetters) => deadLetters.Count(d => d == "TopicDelivery");

    /// <summary>
    /// Publishes from one remaining session and waits until both remaining sessions have it; true when that round
    /// produced no dead letter (no delivery was addressed to an ended session's actor).
    /// </summary>
    private static async Task<bool> RoundDeliversNoDeadLetter(WebSocket a, WebSocket b, ConcurrentQueue<string> deadLetters, int before)
    {
        var marker = "round-" + Guid.NewGuid().ToString("N")[..6];
        await a.SendTextAsync(marker);
        Assert.Empty(await a.ReceiveUntilTextAsync(marker));
        Assert.Empty(await b.ReceiveUntilTextAsync(marker));
        return DeadLettersOfTopics(deadLetters) == before;
    }

    /// <summary>Three consecutive clean rounds within the deadline.</summary>
    private static async Task Eventually(Func<int> count, Func<int, Task<bool>> round)
    {
        var deadline = DateTime.UtcNow + WsClient.Timeout;
        var clean = 0;
        while (clean < 3)
        {
            Assert.True(DateTime.UtcNow < deadline, "Publishing to the room kept addressing sessions that had ended (dead letters).");
            clean = await round(count()) ? clean + 1 : 0;
        }
    }

    private sealed class DeadLetterListener : ReceiveActor
    {
        public DeadLetterListener(ConcurrentQueue<string> sink) =>
            Receive<AllDeadLetters>(letter => sink.Enqueue(letter.Message.GetType().Name));
    }
}
