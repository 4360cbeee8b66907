using ActorSsgi.Dispatch;
using Akka.Actor;
using Microsoft.Extensions.Logging;

namespace ActorSsgi.WebSockets;

/// <summary>
/// Owns one WebSocket session from the upgrade request to the close: frames, await continuations, topic deliveries
/// and calls from other threads all arrive as messages, so the session's handlers run one at a time, in order.
/// A handler crash stops the actor (decided by <see cref="SessionSupervisor"/>); the session closes with 1011.
/// </summary>
internal sealed class WebSocketSessionActor : UntypedActor
{
    private readonly WebSocketSession _session;
    private readonly ActorSynchronizationContext _synchronizationContext;

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
                case StartSession start:
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
            _session.Crash();
        }
        finally
        {
            WebSocketSession.Current = previous;
        }
    }
}
