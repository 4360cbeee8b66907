namespace ActorSsgi.Demo.Dashboard;

/// <summary>
/// <c>/ws/dashboard</c>: a session that only listens. Once open it is sent a JSON <see cref="DashboardSnapshot"/> at
/// once and then every second until it closes; what it sends is ignored.
/// </summary>
internal static class DashboardRoute
{
    public static async ValueTask Watch(DashboardFeed feed, ISsgiWebSocket ws)
    {
        // on_close is set before the upgrade: it runs only for a session that opened, and may run before Accept's
        // continuation does; the slot is used from the session's actor only.
        var slot = new Slot();
        ws.OnClose(static (_, _, _, slot) => slot.Watcher?.Dispose(), slot);
        await ws.Accept();
        if (ws.Status == SsgiWebSocketStatus.Accepted)
        {
            // Snapshots come from the feed's timer thread; the session's facade queues each send to its actor, and a
            // send after the session ended is dropped.
            slot.Watcher = feed.Watch(json => _ = ws.Send(json));
        }
    }

    private sealed class Slot
    {
        public IDisposable? Watcher;
    }
}
