namespace ActorSsgi.ClusterTests.Fixtures;

/// <summary>
/// Chat helpers. DistributedPubSub spreads a new subscription by gossip, and a publish from a node that has not yet
/// heard of a subscriber's node is simply not delivered there (at most once, never buffered). So a spec first waits
/// until the room is connected across nodes, in every direction it will use.
/// </summary>
public static class Chat
{
    // Larger than the room keeps (ChatRoomEntity.MaxKeptMessageBytes, 16 KiB): a marker is relayed live, never kept, so
    // it can never reach a session through the history replayed on join. A kept marker could, and then proves nothing:
    // it once made a room look connected while a node had not yet heard of another's subscriber (CI, 2026-11-25).
    private const int MarkerBytes = 16 * 1024 + 64;

    /// <summary>
    /// Asks every node for the room's history once, so the room's entity runs and every node knows where it lives
    /// before sessions join: a joining session then gets its (empty) history at once, instead of having it arrive
    /// after the spec's first messages were kept and replaying those as duplicates.
    /// </summary>
    public static async Task WarmUpRoomAsync(HttpClient http, IEnumerable<Uri> nodes, string room)
    {
        foreach (var node in nodes)
        {
            await Eventually.Until(
                () => RoomHistoryReply.GetAsync(http, node, room),
                reply => reply.Messages.Count == 0,
                TimeSpan.FromSeconds(20),
                $"{node} to answer for room {room} with an empty history");
        }
    }

    /// <summary>
    /// Has every member publish markers until one reaches every member (the sender included), so that each member can
    /// be the sender of the spec's messages and every queue starts empty. Markers are too large to be kept in the
    /// room's history, so only live delivery counts.
    /// </summary>
    public static async Task WaitUntilConnectedAsync(IReadOnlyList<WsClient> members, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var round = TimeSpan.FromSeconds(3);
        for (var s = 0; s < members.Count; s++)
        {
            while (true)
            {
                var marker = $"ready {s} {Guid.NewGuid():N} ".PadRight(MarkerBytes, '.');
                await members[s].SendAsync(marker);
                var missing = new List<string>();
                foreach (var member in members)
                {
                    try
                    {
                        // Reads through whatever came before (earlier markers that arrived late) up to this marker.
                        await member.ReceiveUntilAsync(marker, round);
                    }
                    catch (TimeoutException)
                    {
                        missing.Add(member.Uri.ToString());
                    }
                }

                if (missing.Count == 0)
                {
                    break;
                }

                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException(
                        $"The room did not connect across nodes within {timeout.TotalSeconds} s: a marker from {members[s].Uri} did not reach {string.Join(", ", missing)}.");
                }
            }
        }
    }
}
