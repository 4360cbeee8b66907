using Akka.Actor;
using Akka.Configuration;
using Akka.Dispatch;

namespace ActorSsgi.Dispatch;

/// <summary>
/// A dispatcher that runs an idle actor's mailbox on the thread that sent the message, so a request handed over by
/// Kestrel is served on Kestrel's thread without a hop through the thread pool. When the thread is already running
/// an inline mailbox (an actor telling another, or a mailbox rescheduling itself after its throughput) the work goes
/// to the thread pool instead, so stacks stay shallow and no actor starves another.
/// </summary>
/// <remarks>
/// The mailbox's own scheduling flag still guarantees one message at a time per actor: a message sent while the
/// actor runs elsewhere is queued and picked up by that run.
/// </remarks>
internal sealed class InlineDispatcher : MessageDispatcher
{
    [ThreadStatic]
    private static int t_depth;

    public InlineDispatcher(MessageDispatcherConfigurator configurator)
        : base(configurator)
    {
    }

    /// <summary>
    /// Sends <paramref name="message"/> without running the receiver on this thread. For senders that are inside
    /// someone else's code (a pipe completing a flush, a timer, a cancellation callback), where running an actor
    /// inline could re-enter that code.
    /// </summary>
    public static void TellDeferred(IActorRef receiver, object message)
    {
        t_depth++;
        try
        {
            receiver.Tell(message, ActorRefs.NoSender);
        }
        finally
        {
            t_depth--;
        }
    }

    /// <summary>Runs inline at the outermost level of a thread, on the thread pool otherwise.</summary>
    protected override void ExecuteTask(IRunnable run)
    {
        if (t_depth > 0)
        {
            // Wrapped rather than queued as the work item it is: the wrapper marks the whole run, including the
            // mailbox rescheduling itself from its finally block, which must not then run inline inside itself.
            ThreadPool.UnsafeQueueUserWorkItem(static r => RunInline(r), run, preferLocal: true);
            return;
        }

        RunInline(run);
    }

    private static void RunInline(IRunnable run)
    {
        t_depth++;
        try
        {
            run.Run();
        }
        finally
        {
            t_depth--;
        }
    }

    protected override void Shutdown()
    {
        // Nothing to release: the dispatcher owns no threads.
    }
}

/// <summary>Creates the <see cref="InlineDispatcher"/>; named by <c>type</c> in a HOCON dispatcher section.</summary>
internal sealed class InlineDispatcherConfigurator : MessageDispatcherConfigurator
{
    private readonly InlineDispatcher _dispatcher;

    public InlineDispatcherConfigurator(Config config, IDispatcherPrerequisites prerequisites)
        : base(config, prerequisites)
    {
        _dispatcher = new InlineDispatcher(this);
    }

    public override MessageDispatcher Dispatcher() => _dispatcher;
}
