using Akka.Actor;
using Microsoft.Extensions.Logging;

namespace ActorSsgi.WebSockets;

/// <summary>
/// Parent of every session actor. A handler exception ends the session that threw (it closes with 1011 and releases
/// its resources); other sessions are untouched. The decision is logged. A failure the session already contained
/// (<see cref="SessionCrashedException"/>: closed with 1011, on_close started in the actor) resumes the actor, which
/// stops itself once on_close has finished; anything else stops it at once.
/// </summary>
internal sealed class SessionSupervisor : UntypedActor
{
    private readonly ILogger _logger;
    private readonly Telemetry.ActorSsgiMetrics _metrics;

    public SessionSupervisor(ILogger logger, Telemetry.ActorSsgiMetrics metrics)
    {
        _logger = logger;
        _metrics = metrics;
    }

    public static Props Props(ILogger logger, Telemetry.ActorSsgiMetrics metrics) => Akka.Actor.Props.Create(() => new SessionSupervisor(logger, metrics));

    protected override void OnReceive(object message) => Unhandled(message);

    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(error =>
    {
        _metrics.HandlerCrashed(webSocket: true);
        if (error is SessionCrashedException crashed)
        {
            _logger.LogError(crashed.InnerException, "An SSGI WebSocket handler failed; supervisor decision: end its session (close 1011, then stop once on_close has run)");
            return Directive.Resume;
        }

        _logger.LogError(error, "An SSGI WebSocket session failed; supervisor decision: stop it (close 1011)");
        return Directive.Stop;
    },
    // The decider's entry is the one log line per crash; Akka's own would repeat the exception and its stack.
    loggingEnabled: false);
}
