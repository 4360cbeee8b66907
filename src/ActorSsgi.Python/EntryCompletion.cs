namespace ActorSsgi.Python;

/// <summary>
/// The end of an <c>ssgi</c> entry whose Python work runs on another thread (a WSGI thread, the asyncio loop).
/// That thread's response calls are posted to the request actor's mailbox; the entry's end must reach the actor
/// behind them, or the server would judge the request by an end it saw first: a call that completed before the
/// entry returned would read as a synchronous handler that sent nothing, and an exception raised just after the
/// body started would read as one raised before anything was sent (a 500 instead of an abort).
/// </summary>
internal static class EntryCompletion
{
    /// <summary>Awaits <paramref name="completion"/>, then yields once to the actor, on success and on failure alike.</summary>
    /// <param name="completion">The Python call's completion.</param>
    /// <returns>The entry's task.</returns>
    public static async ValueTask AwaitInActor(Task completion)
    {
        try
        {
            await completion;
        }
        finally
        {
            // Inside the actor the yield is a message queued behind the calls already posted from the Python thread.
            await Task.Yield();
        }
    }
}
