using ActorSsgi.Http;
using ActorSsgi.Server;

namespace ActorSsgi.TestKit.Http.Transport;

/// <summary>
/// Records a violation when the server touches a request's transport outside the actor that owns the request:
/// the server promises that request state is only ever touched inside that actor, one message at a time.
/// </summary>
internal sealed class ActorThreadGuard(ResponseRecorder recorder, bool enabled)
{
    /// <summary>The server's context for this request; its <c>Owner</c> is the request actor while it runs.</summary>
    public SsgiRequestContext? Context { get; set; }

    public void Check(string operation)
    {
        if (!enabled)
        {
            return;
        }

        var owner = Context?.Owner;
        var current = HttpExchange.Current;
        if (owner is null)
        {
            recorder.Violation($"{operation} was called after the request was finished.");
        }
        else if (current is null || !current.Self.Equals(owner))
        {
            recorder.Violation(
                $"{operation} ran outside the request's actor {owner.Path} (thread {Environment.CurrentManagedThreadId}" +
                (current is null ? ", in no request actor)." : $", in {current.Self.Path})."));
        }
    }
}
