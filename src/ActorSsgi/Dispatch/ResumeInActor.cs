using System.Runtime.CompilerServices;
using Akka.Actor;

namespace ActorSsgi.Dispatch;

/// <summary>
/// Resumes one kind of await in its actor with one thread-pool hop less than <see cref="ActorSynchronizationContext"/>:
/// for an operation that completes on a thread-pool thread outside any actor (a WebSocket receive: Kestrel's input
/// pipe resumes its reader on the thread pool once the frame's bytes are in), the continuation is told to the actor
/// with an ordinary <c>Tell</c>, so the inline dispatcher runs the actor right on that thread instead of queueing a
/// second work item. The operation's own code has returned by then (the continuation is its last act), so running
/// the actor there re-enters nothing.
/// </summary>
/// <remarks>
/// One instance per awaiting loop, reused for every await: only one such await may be pending at a time.
/// The continuation still runs as a message, one at a time with the actor's other messages; when the actor is busy
/// elsewhere it is queued as any message is.
/// </remarks>
internal sealed class ResumeInActor
{
    private readonly IActorRef _self;
    private readonly Action _completed;
    private Action? _continuation;

    /// <summary>For awaits of the actor <paramref name="self"/>.</summary>
    public ResumeInActor(IActorRef self)
    {
        _self = self;
        _completed = Completed;
    }

    /// <summary>Awaits <paramref name="operation"/>, resuming in the actor.</summary>
    public Awaitable<T> Await<T>(ValueTask<T> operation) => new(operation, this);

    private void Completed()
    {
        var continuation = _continuation!;
        _continuation = null;
        _self.Tell(new RunInActor(static state => ((Action)state!)(), continuation), ActorRefs.NoSender);
    }

    /// <summary>What <c>await</c> sees: completes as the operation does, resumes in the actor.</summary>
    public readonly struct Awaitable<T>(ValueTask<T> operation, ResumeInActor resume)
    {
        /// <summary>The awaiter.</summary>
        public Awaiter<T> GetAwaiter() => new(operation.ConfigureAwait(false).GetAwaiter(), resume);
    }

    /// <summary>Hands the continuation to the actor instead of the captured context.</summary>
    public readonly struct Awaiter<T>(ConfiguredValueTaskAwaitable<T>.ConfiguredValueTaskAwaiter inner, ResumeInActor resume)
        : ICriticalNotifyCompletion
    {
        /// <summary>Completed already: the await goes on synchronously, still in the actor.</summary>
        public bool IsCompleted => inner.IsCompleted;

        /// <summary>The operation's result, or its exception.</summary>
        public T GetResult() => inner.GetResult();

        /// <inheritdoc />
        public void OnCompleted(Action continuation) => UnsafeOnCompleted(continuation);

        /// <inheritdoc />
        public void UnsafeOnCompleted(Action continuation)
        {
            resume._continuation = continuation;
            inner.UnsafeOnCompleted(resume._completed);
        }
    }
}
