using System.Text.Json;
using ActorSsgi.Demo.Chat;

namespace ActorSsgi.Demo.Dashboard;

/// <summary>
/// The dashboard's clock: while at least one page watches (and for <see cref="Linger"/> after the last leaves, so a
/// reload keeps its chart), it closes a <see cref="DashboardSampler"/> second each second, builds one snapshot, serializes
/// it once and hands the same text to every watcher. With no watcher, no timer and no meter listener run.
/// </summary>
internal sealed class DashboardFeed : IDisposable
{
    public static readonly TimeSpan Linger = TimeSpan.FromSeconds(DashboardSampler.Capacity);

    private readonly DashboardSampler _sampler;
    private readonly IDashboardMembership _membership;
    private readonly RoomSessions _rooms;
    private readonly Lock _lock = new();
    private readonly List<Action<string>> _watchers = [];
    private Timer? _timer;
    private long _lastWatcherLeft;
    private bool _disposed;

    public DashboardFeed(DashboardSampler sampler, IDashboardMembership membership, RoomSessions rooms)
    {
        _sampler = sampler;
        _membership = membership;
        _rooms = rooms;
    }

    /// <summary>The chat rooms' session counts on this node (the chat handler keeps them).</summary>
    public RoomSessions Rooms => _rooms;

    /// <summary>Starts pushing snapshots to <paramref name="push"/>, the first one at once; dispose to stop.</summary>
    public IDisposable Watch(Action<string> push)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _watchers.Add(push);
            if (_timer is null)
            {
                _sampler.Start();
                _timer = new Timer(static feed => ((DashboardFeed)feed!).Tick(), this, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
            }
        }

        // The page draws something before the first second is up: the members and rooms, and the series so far.
        push(Serialize(Snapshot(null)));
        return new Watcher(this, push);
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            _timer?.Dispose();
            _timer = null;
            _watchers.Clear();
            _sampler.Stop();
        }
    }

    private void Tick()
    {
        Action<string>[] watchers;
        DashboardSample sample;
        lock (_lock)
        {
            if (_timer is null)
            {
                return;
            }

            if (_watchers.Count == 0 && Environment.TickCount64 - _lastWatcherLeft > Linger.TotalMilliseconds)
            {
                _timer.Dispose();
                _timer = null;
                _sampler.Stop();
                return;
            }

            sample = _sampler.Tick();
            watchers = _watchers.ToArray();
        }

        if (watchers.Length == 0)
        {
            return;
        }

        var json = Serialize(Snapshot(sample));
        foreach (var push in watchers)
        {
            push(json);
        }
    }

    private DashboardSnapshot Snapshot(DashboardSample? now)
    {
        var self = _membership.Self;
        var members = _membership.Members()
            .Select(m => new DashboardMember(m.Address, m.Status, m.Reachable, m.Address == self, m.Roles))
            .ToArray();
        var rooms = _rooms.Snapshot().Select(r => new DashboardRoom(r.Key, r.Value)).ToArray();
        var series = _sampler.Series();
        return new DashboardSnapshot(
            DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            self,
            _membership.Clustered,
            members,
            rooms,
            now ?? (series.Length > 0 ? series[^1] : null),
            new DashboardSeries(
                1,
                series.Select(s => s.Time).ToArray(),
                series.Select(s => s.RequestsPerSecond).ToArray(),
                series.Select(s => s.WebSocketSessions).ToArray()),
            _sampler.Seen);
    }

    private static string Serialize(DashboardSnapshot snapshot) => JsonSerializer.Serialize(snapshot, DashboardJson.Default.DashboardSnapshot);

    private void Leave(Action<string> push)
    {
        lock (_lock)
        {
            if (_watchers.Remove(push) && _watchers.Count == 0)
            {
                _lastWatcherLeft = Environment.TickCount64;
            }
        }
    }

    private sealed class Watcher(DashboardFeed feed, Action<string> push) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                feed.Leave(push);
            }
        }
    }
}
