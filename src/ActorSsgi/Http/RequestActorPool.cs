using ActorSsgi.Server;
using Akka.Actor;
using Microsoft.Extensions.Logging;

namespace ActorSsgi.Http;

/// <summary>
/// Idle request actors, ready to own the next request. Spawning an actor costs microseconds; reusing one costs a
/// pointer swap. An actor comes back only after its request was finished and its state reset; beyond the
/// configured size, returned actors are stopped.
/// </summary>
internal sealed class RequestActorPool
{
    private readonly IActorRef?[] _items;
    private readonly ActorCell _supervisor;
    private readonly Props _props;
    private int _count;
    private long _spawned;

    // One actor in front of the locked array: with inline dispatch a request returns its actor on the thread that
    // rented it, so sequential requests hand one actor back and forth with a single compare-and-swap each way.
    private IActorRef? _fast;

    // supervisor: the started supervisor's cell (Dispatch.Supervisors.StartAsync); request actors attach to it.
    public RequestActorPool(ActorCell supervisor, SsgiGateway gateway, ILogger logger, string serverHeader, string dispatcher, int size)
    {
        _supervisor = supervisor;
        _items = new IActorRef?[Math.Max(1, size)];
        _props = RequestActor.Props(gateway, this, logger, serverHeader, dispatcher);
    }

    /// <summary>How many request actors were ever spawned (for tests and metrics).</summary>
    public long Spawned => Interlocked.Read(ref _spawned);

    /// <summary>How many idle actors wait in the pool.</summary>
    public int Idle => Volatile.Read(ref _count) + (Volatile.Read(ref _fast) is null ? 0 : 1);

    public IActorRef Rent()
    {
        if (Volatile.Read(ref _fast) is { } fast && Interlocked.CompareExchange(ref _fast, null, fast) == fast)
        {
            return fast;
        }

        lock (_items)
        {
            if (_count > 0)
            {
                var actor = _items[--_count]!;
                _items[_count] = null;
                return actor;
            }
        }

        Interlocked.Increment(ref _spawned);
        return _supervisor.AttachChild(_props, isSystemService: false, name: null);
    }

    public void Return(IActorRef actor)
    {
        if (Volatile.Read(ref _fast) is null && Interlocked.CompareExchange(ref _fast, actor, null) is null)
        {
            return;
        }

        lock (_items)
        {
            if (_count < _items.Length)
            {
                _items[_count++] = actor;
                return;
            }
        }

        actor.Tell(PoisonPill.Instance);
    }
}
