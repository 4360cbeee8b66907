using Akka.Actor;

namespace ActorSsgi.Dispatch;

/// <summary>Turns the end of a handler's task into a message to the actor that runs the handler.</summary>
internal static class HandlerTasks
{
    /// <summary>
    /// Awaits <paramref name="task"/> (inside the actor, so the await resumes there) and tells the actor how it
    /// ended. A failure travels in the message, so that the actor can rethrow it for its supervisor: an exception
    /// left in an unobserved task would be lost.
    /// </summary>
    public static async Task ReportWhenDone<TState>(ValueTask task, IActorRef actor, TState state, Func<TState, Exception?, object> message)
    {
        Exception? error = null;
        try
        {
            await task;
        }
        catch (Exception ex)
        {
            error = ex;
        }

        actor.Tell(message(state, error), ActorRefs.NoSender);
    }
}
