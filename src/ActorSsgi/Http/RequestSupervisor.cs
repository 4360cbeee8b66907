using Akka.Actor;
using Microsoft.Extensions.Logging;

namespace ActorSsgi.Http;

/// <summary>
/// Parent of every request actor. A handler exception restarts the actor that ran it: the old instance ends its
/// request (500, or abort once the body started) and a fresh instance takes its place in the pool. The decision is
/// logged; the server keeps serving.
/// </summary>
internal sealed class RequestSupervisor : UntypedActor
{
    private readonly ILogger _logger;
    private readonly Telemetry.ActorSsgiMetrics _metrics;

    public RequestSupervisor(ILogger logger, Telemetry.ActorSsgiMetrics? metrics)
    {
        _logger = logger;
        _metrics = metrics ?? Telemetry.ActorSsgiMetrics.Shared;
    }

    public static Props Props(ILogger logger, Telemetry.ActorSsgiMetrics? metrics = null) => Akka.Actor.Props.Create(() => new RequestSupervisor(logger, metrics));

    protected override void OnReceive(object message) => Unhandled(message);

    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(
        // This overload restarts without limit (-1 retries, no time window), as a request actor must.
        localOnlyDecider: error =>
        {
            _logger.LogError(error, "An SSGI HTTP handler failed; supervisor decision: restart its request actor");
            _metrics.HandlerCrashed(webSocket: false);
            return Directive.Restart;
        },
        // The decider's entry is the one log line per crash; Akka's own would repeat the exception and its stack.
        loggingEnabled: false);
}
