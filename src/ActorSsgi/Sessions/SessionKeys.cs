using ActorSsgi.WebSockets;
using Akka.Actor;

namespace ActorSsgi.Sessions;

/// <summary>
/// One session's <see cref="ISsgiSessions"/>: remembers the keys it bound so that a closed session loses them all.
/// Thread-safe (a lock around a small set), so handlers may use it from any thread without marshalling.
/// </summary>
internal sealed class SessionKeys : ISsgiSessions
{
    private readonly ISessionDirectory _directory;
    private readonly IActorRef _session;
    private readonly HashSet<string> _bound = new(StringComparer.Ordinal);
    private bool _closed;

    public SessionKeys(ISessionDirectory directory, IActorRef session)
    {
        _directory = directory;
        _session = session;
    }

    public ValueTask Bind(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        lock (_bound)
        {
            if (_closed)
            {
                return default;
            }

            _bound.Add(key);
        }

        // Binding twice is harmless (the directory's sets are idempotent) and lets a second caller await visibility too.
        return new ValueTask(_directory.Bind(key, _session));
    }

    public void Unbind(string key)
    {
        bool removed;
        lock (_bound)
        {
            removed = _bound.Remove(key);
        }

        if (removed)
        {
            _directory.Unbind(key, _session);
        }
    }

    public ValueTask<SsgiKeyedSendResult> SendTo(string key, SsgiMessage message)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return new ValueTask<SsgiKeyedSendResult>(_directory.SendTo(key, new TopicDelivery(message.Data.ToArray(), message.IsText)));
    }

    /// <summary>The session ended: every key it bound is released.</summary>
    public void UnbindAll()
    {
        string[] keys;
        lock (_bound)
        {
            _closed = true;
            keys = [.. _bound];
            _bound.Clear();
        }

        foreach (var key in keys)
        {
            _directory.Unbind(key, _session);
        }
    }
}
