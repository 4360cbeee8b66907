using Akka.Actor;
using Microsoft.Extensions.Logging;

namespace ActorSsgi.WebSockets;

/// <summary>
/// Parent of every session actor. A handler exception stops the session that threw (it closes with 1011 and
/// releases its resources); other sessions are untouched. The decision is logged.
/// </summary>
internal sealed class SessionSupervisor : UntypedActor
{
    private readonly ILogger _logger;

    public SessionSupervisor(ILogger logger) => _logger = logger;

    public static Props Props(ILogger logger) => Akka.Actor.Props.Create(() => new SessionSupervisor(logger));

    protected override void OnReceive(object message) => Unhandled(message);

    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(error =>
    {
        _logger.LogError(error, "An SSGI WebSocket handler failed; supervisor decision: stop its session (close 1011)");
        return Directive.Stop;
    });
}
