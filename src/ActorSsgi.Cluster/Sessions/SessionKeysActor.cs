using System.Collections.Immutable;
using ActorSsgi.WebSockets;
using Akka.Actor;
using Akka.Cluster;
using Akka.DistributedData;
using Microsoft.Extensions.Logging;
using ClusterSystem = Akka.Cluster.Cluster;

namespace ActorSsgi.Cluster.Sessions;

/// <summary>
/// This node's part of the cluster-wide session directory. Keys are replicated with Akka.DistributedData: a key maps
/// to the session actors bound to it, in <see cref="Buckets"/> ORMultiValueDictionary entries. A bind is written to
/// every node before it completes (or, when a node does not answer within the timeout, to those that did; gossip
/// brings the rest), so a send reads its own node's replica first, and a majority only on a miss.
/// A send then asks each node that has sessions for the key to hand the message to them and confirm: a node that is
/// unreachable, gone, or silent for the timeout counts its sessions as unreachable, and a key with only such sessions
/// is reported undeliverable, never silently dropped (a kill -9 is noticed by the timeout before the failure detector).
/// </summary>
/// <remarks>
/// Why replicated data and not a sharded entity per key: the directory must remember a binding after the session's
/// node died in order to report the loss, and an in-memory sharded entity that lived on that node would forget it.
/// </remarks>
internal sealed class SessionKeysActor : ReceiveActor, IWithTimers
{
    /// <summary>The actor's name; other nodes find it at /user/ssgi-session-keys.</summary>
    public const string Name = "ssgi-session-keys";

    private const int Buckets = 16;
    private const string KeyPrefix = "ssgi-session-keys-";

    private readonly IActorRef _replicator;
    private readonly ClusterSystem _cluster;
    private readonly TimeSpan _timeout;
    private readonly TimeSpan _retention;
    private readonly ILogger _logger;
    private readonly ORMultiValueDictionary<string, IActorRef>[] _replicas = new ORMultiValueDictionary<string, IActorRef>[Buckets];
    private readonly Dictionary<IActorRef, HashSet<string>> _keysOfSession = new();
    private readonly Dictionary<string, HashSet<IActorRef>> _sessionsOfKey = new(StringComparer.Ordinal);

    public SessionKeysActor(TimeSpan timeout, TimeSpan retention, ILogger logger)
    {
        _cluster = ClusterSystem.Get(Context.System);
        _replicator = DistributedData.Get(Context.System).Replicator;
        _timeout = timeout;
        _retention = retention;
        _logger = logger;
        Array.Fill(_replicas, ORMultiValueDictionary<string, IActorRef>.Empty);

        Receive<BindKey>(OnBind);
        Receive<UnbindKey>(unbind => Unbind(unbind.Key, unbind.Session));
        Receive<Terminated>(OnSessionStopped);
        Receive<SendToKey>(send => _replicator.Tell(Dsl.Get(KeyOf(BucketOf(send.Key)), ReadLocal.Instance, new PendingSend(send, Local: true))));
        Receive<GetSuccess>(OnLookedUp);
        Receive<NotFound>(notFound => OnFound((PendingSend)notFound.Request!, null));
        Receive<GetFailure>(failure => ((PendingSend)failure.Request!).Send.Result.TrySetResult(
            new SsgiKeyedSendResult(SsgiKeyedSendStatus.Undeliverable, 0, Reason: "the session directory could not reach a majority of nodes")));
        Receive<DeliverToLocalKey>(deliver => Sender.Tell(new LocalDelivered(DeliverLocally(deliver.Key, new TopicDelivery(deliver.Data, deliver.IsText)))));
        Receive<Changed>(OnChanged);
        Receive<UpdateSuccess>(success => (success.Request as TaskCompletionSource)?.TrySetResult());
        Receive<IUpdateFailure>(OnUpdateFailed);
        Receive<ClusterEvent.MemberRemoved>(removed =>
            Timers.StartSingleTimer(removed.Member.Address, new PurgeNode(removed.Member.Address), _retention));
        Receive<PurgeNode>(OnPurge);
        Receive<ClusterEvent.CurrentClusterState>(_ => { });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(TimeSpan timeout, TimeSpan retention, ILogger logger) =>
        Akka.Actor.Props.Create(() => new SessionKeysActor(timeout, retention, logger));

    protected override void PreStart()
    {
        for (var bucket = 0; bucket < Buckets; bucket++)
        {
            _replicator.Tell(Dsl.Subscribe(KeyOf(bucket), Self));
        }

        _cluster.Subscribe(Self, typeof(ClusterEvent.MemberRemoved));
    }

    protected override void PostStop() => _cluster.Unsubscribe(Self);

    private void OnBind(BindKey bind)
    {
        if (!_keysOfSession.TryGetValue(bind.Session, out var keys))
        {
            _keysOfSession[bind.Session] = keys = new HashSet<string>(StringComparer.Ordinal);
            Context.Watch(bind.Session);
        }

        keys.Add(bind.Key);
        if (!_sessionsOfKey.TryGetValue(bind.Key, out var sessions))
        {
            _sessionsOfKey[bind.Key] = sessions = [];
        }

        sessions.Add(bind.Session);
        var (key, session) = (bind.Key, bind.Session);
        var node = _cluster.SelfUniqueAddress;
        _replicator.Tell(Dsl.Update(KeyOf(BucketOf(key)), ORMultiValueDictionary<string, IActorRef>.Empty, new WriteAll(_timeout), bind.Done,
            data => data.AddItem(node, key, session)));
    }

    private void Unbind(string key, IActorRef session)
    {
        if (_keysOfSession.TryGetValue(session, out var keys) && keys.Remove(key) && keys.Count == 0)
        {
            _keysOfSession.Remove(session);
            Context.Unwatch(session);
        }

        Forget(key, session);
    }

    private void Forget(string key, IActorRef session)
    {
        if (_sessionsOfKey.TryGetValue(key, out var sessions) && sessions.Remove(session) && sessions.Count == 0)
        {
            _sessionsOfKey.Remove(key);
        }

        Remove(key, session);
    }

    private void Remove(string key, IActorRef session)
    {
        var node = _cluster.SelfUniqueAddress;
        _replicator.Tell(Dsl.Update(KeyOf(BucketOf(key)), ORMultiValueDictionary<string, IActorRef>.Empty, WriteLocal.Instance,
            data => data.RemoveItem(node, key, session)));
    }

    private void OnSessionStopped(Terminated terminated)
    {
        // A session normally unbinds on close; this covers a session actor that stopped without getting there.
        if (_keysOfSession.Remove(terminated.ActorRef, out var keys))
        {
            foreach (var key in keys)
            {
                Forget(key, terminated.ActorRef);
            }
        }
    }

    private void OnUpdateFailed(IUpdateFailure failure)
    {
        // The local replica has the binding and gossip spreads it; a send from a node that has not seen it yet falls
        // back to a majority read, so completing here only weakens "every node sees it now" to "soon".
        _logger.LogWarning("A session key update was not confirmed by every node in {Timeout}: {Failure}", _timeout, failure.GetType().Name);
        (failure.Request as TaskCompletionSource)?.TrySetResult();
    }

    private void OnChanged(Changed changed)
    {
        var bucket = int.Parse(changed.Key.Id.AsSpan(KeyPrefix.Length), provider: System.Globalization.CultureInfo.InvariantCulture);
        _replicas[bucket] = changed.Get(KeyOf(bucket));
    }

    private void OnLookedUp(GetSuccess success)
    {
        var pending = (PendingSend)success.Request!;
        var data = success.Get(KeyOf(BucketOf(pending.Send.Key)));
        OnFound(pending, data.TryGetValue(pending.Send.Key, out var sessions) ? sessions : null);
    }

    private void OnFound(PendingSend pending, IImmutableSet<IActorRef>? sessions)
    {
        if (sessions is { Count: > 0 })
        {
            Deliver(sessions, pending.Send);
        }
        else if (pending.Local)
        {
            // Not in this node's replica (yet): a majority read sees every bind that completed anywhere.
            _replicator.Tell(Dsl.Get(KeyOf(BucketOf(pending.Send.Key)), new ReadMajority(_timeout), pending with { Local = false }));
        }
        else
        {
            pending.Send.Result.TrySetResult(new SsgiKeyedSendResult(SsgiKeyedSendStatus.NoSession, 0, Reason: "no session is bound to this key"));
        }
    }

    /// <summary>Local sessions get the message at once; each other node with sessions is asked to deliver and confirm.</summary>
    private void Deliver(IImmutableSet<IActorRef> sessions, SendToKey send)
    {
        var state = _cluster.State;
        var delivered = 0;
        var unreachable = 0;
        var remote = new List<(Address Node, int Sessions)>();
        foreach (var group in sessions.GroupBy(s => s.Path.Address))
        {
            if (group.Key.Host is null || group.Key == _cluster.SelfAddress)
            {
                // Our own bindings are in _sessionsOfKey; a replica entry for a session that already ended is not counted.
                continue;
            }

            if (IsReachable(group.Key, state))
            {
                remote.Add((group.Key, group.Count()));
            }
            else
            {
                unreachable += group.Count();
            }
        }

        delivered += DeliverLocally(send.Key, send.Delivery);
        if (remote.Count == 0)
        {
            send.Result.TrySetResult(Result(delivered, unreachable));
            return;
        }

        var request = new DeliverToLocalKey(send.Key, send.Delivery.Data, send.Delivery.IsText);
        var asks = remote.Select(async node =>
        {
            try
            {
                var selection = Context.ActorSelection(new RootActorPath(node.Node) / "user" / Name);
                return (Delivered: (await selection.Ask<LocalDelivered>(request, _timeout).ConfigureAwait(false)).Sessions, Unreachable: 0);
            }
            catch (AskTimeoutException)
            {
                return (Delivered: 0, Unreachable: node.Sessions);
            }
        }).ToArray();

        // Completed off the actor: the tasks touch no actor state, only the caller's TaskCompletionSource.
        _ = Task.WhenAll(asks).ContinueWith(
            all =>
            {
                var answers = all.Result;
                send.Result.TrySetResult(Result(delivered + answers.Sum(a => a.Delivered), unreachable + answers.Sum(a => a.Unreachable)));
            },
            TaskScheduler.Default);
    }

    private int DeliverLocally(string key, TopicDelivery delivery)
    {
        if (!_sessionsOfKey.TryGetValue(key, out var sessions))
        {
            return 0;
        }

        foreach (var session in sessions)
        {
            session.Tell(delivery, ActorRefs.NoSender);
        }

        return sessions.Count;
    }

    private static SsgiKeyedSendResult Result(int delivered, int unreachable) => delivered > 0
        ? new SsgiKeyedSendResult(SsgiKeyedSendStatus.Delivered, delivered, unreachable)
        : unreachable > 0
            ? new SsgiKeyedSendResult(SsgiKeyedSendStatus.Undeliverable, 0, unreachable,
                "the node of every session bound to this key is unreachable, has left the cluster, or did not confirm in time")
            : new SsgiKeyedSendResult(SsgiKeyedSendStatus.NoSession, 0, Reason: "no session is bound to this key");

    private static bool IsReachable(Address address, ClusterEvent.CurrentClusterState state)
    {
        foreach (var member in state.Unreachable)
        {
            if (member.Address == address)
            {
                return false;
            }
        }

        foreach (var member in state.Members)
        {
            if (member.Address == address)
            {
                return member.Status is MemberStatus.Up or MemberStatus.WeaklyUp or MemberStatus.Joining or MemberStatus.Leaving;
            }
        }

        return false;
    }

    private void OnPurge(PurgeNode purge)
    {
        // One node cleans up (the leader); removal is idempotent, so a leader change in between only costs a repeat.
        if (_cluster.State.Leader != _cluster.SelfAddress)
        {
            return;
        }

        var purged = 0;
        foreach (var replica in _replicas)
        {
            foreach (var (key, sessions) in replica.Entries)
            {
                foreach (var session in sessions)
                {
                    if (session.Path.Address == purge.Node)
                    {
                        Remove(key, session);
                        purged++;
                    }
                }
            }
        }

        _logger.LogInformation("Forgot {Count} session keys of {Node}, which left the cluster {Retention} ago", purged, purge.Node, _retention);
    }

    private static ORMultiValueDictionaryKey<string, IActorRef> KeyOf(int bucket) => new(KeyPrefix + bucket.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>FNV-1a: string.GetHashCode differs between processes, and every node must pick the same bucket.</summary>
    private static int BucketOf(string key)
    {
        var hash = 2166136261u;
        foreach (var c in key)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash % Buckets);
    }

    private sealed record PendingSend(SendToKey Send, bool Local);
}
