using System.Collections.Concurrent;

namespace ActorSsgi.Demo.Chat;

/// <summary>
/// How many chat sessions each room has on this node, for the dashboard: counted by the chat handler when a session
/// joins and when it ends, so the server's topic broker stays as it is. Clustered, each node counts its own.
/// </summary>
internal sealed class RoomSessions
{
    private readonly ConcurrentDictionary<string, int> _rooms = new(StringComparer.Ordinal);

    public void Joined(string room) => _rooms.AddOrUpdate(room, 1, static (_, n) => n + 1);

    public void Left(string room)
    {
        // An emptied room is removed; the compare-and-remove keeps a join racing with it from being lost.
        var count = _rooms.AddOrUpdate(room, 0, static (_, n) => n - 1);
        if (count <= 0)
        {
            _rooms.TryRemove(new KeyValuePair<string, int>(room, count));
        }
    }

    /// <summary>The rooms with at least one session, by name.</summary>
    public IReadOnlyList<KeyValuePair<string, int>> Snapshot() =>
        _rooms.Where(r => r.Value > 0).OrderBy(r => r.Key, StringComparer.Ordinal).ToArray();
}
