namespace ActorSsgi.ClusterTests.Fixtures;

/// <summary>Chat helpers: DistributedPubSub spreads a new subscription by gossip, so a room is "ready" across nodes once a probe gets through.</summary>
public static class Chat
{
    /// <summary>
    /// Has <paramref name="sender"/> publish numbered probes until every one of <paramref name="receivers"/> heard one,
    /// then lets every member (sender included) read up to a final marker, so later assertions start from empty queues.
    /// </summary>
    public static async Task WaitUntilConnectedAsync(WsClient sender, IReadOnlyList<WsClient> receivers, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var probe = 0;
        var heard = new bool[receivers.Count];
        while (!heard.All(h => h))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The room did not connect across nodes within {timeout.TotalSeconds} s (heard: {string.Join(",", heard)}).");
            }

            await sender.SendAsync($"probe {probe++}");
            await Task.Delay(100);
            for (var i = 0; i < receivers.Count; i++)
            {
                heard[i] |= receivers[i].Drain().Any(m => m.StartsWith("probe ", StringComparison.Ordinal));
            }
        }

        var marker = "ready " + Guid.NewGuid().ToString("N")[..6];
        await sender.SendAsync(marker);
        foreach (var client in receivers.Append(sender))
        {
            await client.ReceiveUntilAsync(marker);
        }
    }
}
