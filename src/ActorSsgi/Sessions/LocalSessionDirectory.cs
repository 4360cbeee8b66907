using System.Collections.Concurrent;
using ActorSsgi.WebSockets;
using Akka.Actor;

namespace ActorSsgi.Sessions;

/// <summary>
/// Session keys on one node: a key maps to the session actors bound to it. A send tells each of them the shared,
/// immutable message, as a topic publish does. On one node a bound session is always reachable, so a send is either
/// delivered or finds no session.
/// </summary>
internal sealed class LocalSessionDirectory : ISessionDirectory
{
    private static readonly Task<SsgiKeyedSendResult> NoSession =
        Task.FromResult(new SsgiKeyedSendResult(SsgiKeyedSendStatus.NoSession, 0, Reason: "no session is bound to this key"));

    private readonly ConcurrentDictionary<string, ConcurrentDictionary<IActorRef, byte>> _keys = new(StringComparer.Ordinal);

    // Binding and unbinding take a lock, so that removing an emptied key can never drop a session binding it at
    // that moment (a reconnecting client); sending, the frequent operation, reads without one.
    private readonly Lock _changes = new();

    public Task Bind(string key, IActorRef session)
    {
        lock (_changes)
        {
            _keys.GetOrAdd(key, static _ => new ConcurrentDictionary<IActorRef, byte>()).TryAdd(session, 0);
        }

        return Task.CompletedTask;
    }

    public void Unbind(string key, IActorRef session)
    {
        lock (_changes)
        {
            if (_keys.TryGetValue(key, out var sessions) && sessions.TryRemove(session, out _) && sessions.IsEmpty)
            {
                _keys.TryRemove(key, out _);
            }
        }
    }

    public Task<SsgiKeyedSendResult> SendTo(string key, TopicDelivery delivery)
    {
        if (!_keys.TryGetValue(key, out var sessions))
        {
            return NoSession;
        }

        var count = 0;
        foreach (var session in sessions.Keys)
        {
            session.Tell(delivery, ActorRefs.NoSender);
            count++;
        }

        return count == 0 ? NoSession : Task.FromResult(new SsgiKeyedSendResult(SsgiKeyedSendStatus.Delivered, count));
    }
}
