using Akka.Actor;

namespace ActorSsgi.Dispatch;

/// <summary>
/// Makes every <c>await</c> inside a handler resume as a message to the actor that owns the request or session, so
/// user code and network events are processed one at a time, in the actor, without locks. Set only while the actor
/// processes a message.
/// </summary>
internal sealed class ActorSynchronizationContext : SynchronizationContext
{
    private readonly IActorRef _self;

    public ActorSynchronizationContext(IActorRef self) => _self = self;

    public override void Post(SendOrPostCallback d, object? state) =>
        InlineDispatcher.TellDeferred(_self, new RunInActor(d, state));

    public override void Send(SendOrPostCallback d, object? state) =>
        throw new NotSupportedException("Blocking on an actor's context would deadlock it; use Post.");

    public override SynchronizationContext CreateCopy() => this;
}

/// <summary>A piece of code to run inside the actor: an await's continuation, or a call made from another thread.</summary>
internal sealed class RunInActor
{
    public RunInActor(SendOrPostCallback callback, object? state)
    {
        Callback = callback;
        State = state;
    }

    public SendOrPostCallback Callback { get; }

    public object? State { get; }
}
