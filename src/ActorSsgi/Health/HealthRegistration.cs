using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ActorSsgi.Health;

/// <summary>Registers the server's own checks with <c>Microsoft.Extensions.Diagnostics.HealthChecks</c>.</summary>
internal static class HealthRegistration
{
    public static void Register(IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(SsgiServerState)))
        {
            return;
        }

        services.TryAddSingleton<SsgiServerState>();
        services.AddHealthChecks()
            .AddCheck<ActorSystemLivenessCheck>(ActorSsgiHealthChecks.ActorSystem, tags: [ActorSsgiHealthChecks.LiveTag])
            .AddCheck<ServerReadinessCheck>(ActorSsgiHealthChecks.Server, tags: [ActorSsgiHealthChecks.ReadyTag]);
    }
}
