using ActorSsgi.Dispatch;
using Akka.Actor;
using Microsoft.Extensions.Logging;

namespace ActorSsgi.WebSockets;

/// <summary>
/// Owns one WebSocket session from the upgrade request to the close: frames, await continuations, topic deliveries
/// and calls from other threads all arrive as messages, so the session's handlers run one at a time, in order.
/// A handler crash closes the session with 1011 right here, inside the actor, so on_close runs (and resumes after its
/// awaits) in the actor like every other handler; the failure then goes to <see cref="SessionSupervisor"/>, which
/// logs it and resumes the actor until on_close has finished and the session stops it.
/// </summary>
internal sealed class WebSocketSessionActor : UntypedActor
{
    private readonly WebSocketSession _session;
    private readonly ActorSynchronizationContext _synchronizationContext;

    // The session's path, kept for the crash log: the request's headers expire once the handshake is answered.
    private string? _route;

    public WebSocketSessionActor(WebSocketGateway gateway, ILogger logger)
    {
        _session = new WebSocketSession(Self, gateway, logger);
        _synchronizationContext = new ActorSynchronizationContext(Self);
    }

    public static Props Props(WebSocketGateway gateway, ILogger logger, string dispatcher) =>
        Akka.Actor.Props.Create(() => new WebSocketSessionActor(gateway, logger)).WithDispatcher(dispatcher);

    protected override void OnReceive(object message)
    {
        var previousSession = WebSocketSession.Current;
        var previousContext = SynchronizationContext.Current;
        WebSocketSession.Current = _session;
        SynchronizationContext.SetSynchronizationContext(_synchronizationContext);
        try
        {
            switch (message)
            {
                case RunInActor run:
                    run.Callback(run.State);
                    break;
                case TopicDelivery delivery:
                    _session.Deliver(delivery);
                    break;
                case StartSession start when start.Context.Observation?.Activity is { } span:
                    using (new Telemetry.CurrentSpan(span))
                    {
                        _session.Start(start);
                    }

                    break;
                case StartSession start:
                    _route = start.Context.Request.Path;
                    _session.Start(start);
                    break;
                case SessionHandlerCompleted completed:
                    _session.OnHandlerCompleted(completed);
                    break;
                case SessionHandlerFailed failed:
                    System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failed.Error);
                    break;
                case ShutdownSession:
                    _session.Shutdown();
                    break;
                case CloseTimedOut:
                    _session.OnCloseTimedOut();
                    break;
                default:
                    Unhandled(message);
                    break;
            }
        }
        catch (Exception error)
        {
            // Still in the actor's context: the 1011 close and on_close happen here, not after the actor is gone.
            _session.Crash(actorStopping: false);
            throw new SessionCrashedException(error, _route);
        }
        finally
        {
            WebSocketSession.Current = previousSession;
            SynchronizationContext.SetSynchronizationContext(previousContext);
        }
    }

    protected override void PostStop()
    {
        var previous = WebSocketSession.Current;
        WebSocketSession.Current = _session;
        try
        {
            _session.Crash(actorStopping: true);
        }
        finally
        {
            WebSocketSession.Current = previous;
        }
    }
}
