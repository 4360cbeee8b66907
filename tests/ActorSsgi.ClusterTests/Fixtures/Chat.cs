namespace ActorSsgi.ClusterTests.Fixtures;

/// <summary>Chat helpers: DistributedPubSub spreads a new subscription by gossip, so a room is "ready" across nodes once a probe gets through.</summary>
public static class Chat
{
    /// <summary>
    /// Has <paramref name="sender"/> publish markers until one reaches every member (sender included), so later
    /// assertions start from a room that is connected across nodes and from empty queues. A probe that merely
    /// arrived is no proof: the demo replays a room's history (probes included) to a joining session directly,
    /// while the cross-node subscription may still be spreading by gossip. Only a marker received live counts.
    /// </summary>
    public static async Task WaitUntilConnectedAsync(WsClient sender, IReadOnlyList<WsClient> receivers, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var round = TimeSpan.FromSeconds(3);
        while (true)
        {
            var marker = "ready " + Guid.NewGuid().ToString("N")[..6];
            await sender.SendAsync(marker);
            var missing = new List<int>();
            var members = receivers.Append(sender).ToArray();
            for (var i = 0; i < members.Length; i++)
            {
                try
                {
                    // Reads through whatever came before (replayed history, earlier markers) up to this marker.
                    await members[i].ReceiveUntilAsync(marker, round);
                }
                catch (TimeoutException)
                {
                    missing.Add(i);
                }
            }

            if (missing.Count == 0)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The room did not connect across nodes within {timeout.TotalSeconds} s (members without the last marker: {string.Join(",", missing)}).");
            }
        }
    }
}
