using ActorSsgi.Server;
using Akka.Actor;
using Microsoft.Extensions.Logging;

namespace ActorSsgi.Http;

/// <summary>
/// Idle request actors, ready to own the next request. Spawning an actor costs microseconds; reusing one costs a
/// pointer swap. An actor comes back only after its request was finished and its state reset; beyond the
/// configured size, returned actors are stopped.
/// </summary>
/// <remarks>
/// Each thread first keeps the actor it returned last, for its own next request: with inline dispatch a request is
/// served, finished and returned on the thread that rented its actor, so a busy thread reuses one actor whose
/// state stays in that core's cache, with no atomic operation and no memory shared with other threads. An actor
/// finished on another thread goes to the shared, locked array, and a thread with no kept actor (its first
/// request, or one that finished elsewhere) takes one from there. An actor left in the slot of a thread that has
/// exited is taken back into the array by the next rent that reaches the array. Measured against the single shared
/// slot this replaces, in 9 alternating pairs: pipelined plaintext at a median of 1.76 µs of server CPU per request
/// instead of 2.06 µs (docs/performance.md).
/// </remarks>
internal sealed class RequestActorPool
{
    private readonly IActorRef?[] _items;
    private readonly ActorCell _supervisor;
    private readonly Props _props;
    private readonly bool _keepPerThread;
    private int _count;
    private long _spawned;
    private long _retired;

    // supervisor: the started supervisor's cell (Dispatch.Supervisors.StartAsync); request actors attach to it.
    // keepPerThread: false gives one shared array only (the TestKit: a test's requests resume on any thread, and
    // its specs expect them to meet the same actor).
    public RequestActorPool(ActorCell supervisor, SsgiGateway gateway, ILogger logger, string serverHeader, string dispatcher, int size, bool keepPerThread = true, FileRoot? files = null)
    {
        _supervisor = supervisor;
        _keepPerThread = keepPerThread;
        _items = new IActorRef?[Math.Max(1, size)];
        _props = RequestActor.Props(gateway, this, logger, serverHeader, dispatcher, files);
    }

    /// <summary>How many request actors were ever spawned (for tests and metrics).</summary>
    public long Spawned => Interlocked.Read(ref _spawned);

    /// <summary>How many idle actors wait in the pool, in the shared array and in threads' slots.</summary>
    public int Idle => Volatile.Read(ref _count) + ThreadSlot.CountHeldBy(this);

    /// <summary>How many request actors own a request now: spawned, not stopped for a full pool, not idle (for metrics).</summary>
    public long InUse => Math.Max(0, Spawned - Interlocked.Read(ref _retired) - Idle);

    public IActorRef Rent()
    {
        if (!_keepPerThread)
        {
            return RentShared();
        }

        var slot = ThreadSlot.ForThisThread();
        if (slot.Actor is { } kept)
        {
            slot.Actor = null;
            if (ReferenceEquals(slot.Pool, this))
            {
                slot.Rented = kept;
                return kept;
            }

            // Another pool's actor (tests run several servers in one process): back to its own pool.
            slot.Pool!.ReturnShared(kept);
        }

        ThreadSlot.ReclaimFromExitedThreads();
        return slot.Rented = RentShared();
    }

    private IActorRef RentShared()
    {
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
        // Kept by this thread only when this thread rented it (the request was served inline): an actor finished
        // elsewhere (an async handler's last continuation, a restart by the supervisor) goes to the shared array,
        // where any thread finds it, instead of waiting in the slot of a thread that may never serve again.
        if (_keepPerThread && ThreadSlot.Current is { Actor: null } slot && ReferenceEquals(slot.Rented, actor))
        {
            slot.Rented = null;
            slot.Pool = this;
            slot.Actor = actor;
            return;
        }

        ReturnShared(actor);
    }

    /// <summary>Takes back at once the actors kept by threads that have exited (tests; renting does it every 100 ms).</summary>
    internal static void ReclaimFromExitedThreadsNow() => ThreadSlot.ReclaimNow();

    private void ReturnShared(IActorRef actor)
    {
        lock (_items)
        {
            if (_count < _items.Length)
            {
                _items[_count++] = actor;
                return;
            }
        }

        Interlocked.Increment(ref _retired);
        actor.Tell(PoisonPill.Instance);
    }

    /// <summary>One thread's kept actor. Touched only by its thread, and by the reclaim after the thread exited.</summary>
    private sealed class ThreadSlot
    {
        [ThreadStatic]
        private static ThreadSlot? t_current;

        // Every thread's slot, so that actors kept by exited threads can be taken back.
        private static readonly List<ThreadSlot> s_all = [];
        private static long s_nextReclaim;

        private readonly Thread _owner = Thread.CurrentThread;

        public RequestActorPool? Pool { get; set; }

        public IActorRef? Actor { get; set; }

        /// <summary>The actor this thread rented last: only that one may come back into <see cref="Actor"/>.</summary>
        public IActorRef? Rented { get; set; }

        public static ThreadSlot? Current => t_current;

        public static ThreadSlot ForThisThread()
        {
            if (t_current is { } slot)
            {
                return slot;
            }

            slot = t_current = new ThreadSlot();
            lock (s_all)
            {
                s_all.Add(slot);
            }

            return slot;
        }

        /// <summary>Takes the actors of exited threads back into their pools; at most every 100 ms.</summary>
        public static void ReclaimFromExitedThreads()
        {
            var now = Environment.TickCount64;
            var next = Volatile.Read(ref s_nextReclaim);
            if (now >= next && Interlocked.CompareExchange(ref s_nextReclaim, now + 100, next) == next)
            {
                ReclaimNow();
            }
        }

        public static void ReclaimNow()
        {
            List<ThreadSlot>? exited = null;
            lock (s_all)
            {
                for (var i = s_all.Count - 1; i >= 0; i--)
                {
                    if (!s_all[i]._owner.IsAlive)
                    {
                        (exited ??= []).Add(s_all[i]);
                        s_all.RemoveAt(i);
                    }
                }
            }

            foreach (var slot in exited ?? [])
            {
                if (slot.Actor is { } actor)
                {
                    slot.Pool!.ReturnShared(actor);
                }
            }
        }

        public static int CountHeldBy(RequestActorPool pool)
        {
            lock (s_all)
            {
                return s_all.Count(s => ReferenceEquals(s.Pool, pool) && s.Actor is not null);
            }
        }
    }
}
