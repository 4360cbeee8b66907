using ActorSsgi.Dispatch;
using Akka.Actor;

namespace ActorSsgi.Http;

/// <summary>
/// Parent of every request actor. A handler exception restarts the actor that ran it: the old instance ends its
/// request (500, or abort once the body started) and a fresh instance takes its place in the pool. The decision is
/// logged through <see cref="CrashLog"/> (capped per route); the server keeps serving.
/// </summary>
internal sealed class RequestSupervisor : UntypedActor
{
    private readonly CrashLog _crashLog;
    private readonly Telemetry.ActorSsgiMetrics _metrics;

    public RequestSupervisor(CrashLog crashLog, Telemetry.ActorSsgiMetrics? metrics)
    {
        _crashLog = crashLog;
        _metrics = metrics ?? Telemetry.ActorSsgiMetrics.Shared;
    }

    public static Props Props(CrashLog crashLog, Telemetry.ActorSsgiMetrics? metrics = null) => Akka.Actor.Props.Create(() => new RequestSupervisor(crashLog, metrics));

    protected override void OnReceive(object message) => Unhandled(message);

    // Crash counts still pending are written when the actor system stops.
    protected override void PostStop() => _crashLog.Dispose();

    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(
        // This overload restarts without limit (-1 retries, no time window), as a request actor must.
        localOnlyDecider: error =>
        {
            _crashLog.Report(CrashLog.RouteOf(error), error, "An SSGI HTTP handler failed; supervisor decision: restart its request actor");
            _metrics.HandlerCrashed(webSocket: false);
            return Directive.Restart;
        },
        // The decider's entry is the one log line per crash; Akka's own would repeat the exception and its stack.
        loggingEnabled: false);
}
