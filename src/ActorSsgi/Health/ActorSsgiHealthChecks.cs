using Akka.Actor;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ActorSsgi.Health;

/// <summary>Names and tags of ActorSsgi's health checks.</summary>
public static class ActorSsgiHealthChecks
{
    /// <summary>The server's readiness check: listening and not draining (tag <see cref="ReadyTag"/>).</summary>
    public const string Server = "actorssgi";

    /// <summary>The server's liveness check: the actor system runs (tag <see cref="LiveTag"/>).</summary>
    public const string ActorSystem = "actorssgi-actor-system";

    /// <summary>Tag of the checks the liveness probe runs.</summary>
    public const string LiveTag = "live";

    /// <summary>Tag of the checks the readiness probe runs.</summary>
    public const string ReadyTag = "ready";
}

/// <summary>Ready while the server listens and no drain has started: an orchestrator stops sending traffic at once.</summary>
internal sealed class ServerReadinessCheck(SsgiServerState state) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(
            state.Draining ? HealthCheckResult.Unhealthy("draining")
            : state.Listening ? HealthCheckResult.Healthy("listening")
            : HealthCheckResult.Unhealthy("not listening"));
}

/// <summary>Alive while the actor system has not terminated: the process can still serve once it is ready again.</summary>
internal sealed class ActorSystemLivenessCheck(ActorSystem system) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(
            system.WhenTerminated.IsCompleted ? HealthCheckResult.Unhealthy("actor system terminated")
            : HealthCheckResult.Healthy("actor system running"));
}
