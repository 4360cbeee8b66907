using ActorSsgi.Hosting;
using Akka.Configuration;

namespace ActorSsgi.Server;

/// <summary>The actor-system settings ActorSsgi cannot run without; akka.hocon may override any of them.</summary>
internal static class SsgiHocon
{
    public static Config Defaults(ActorSsgiOptions options)
    {
        // The unbind phase must outlast the drain, or CoordinatedShutdown would cut in-flight requests short.
        var unbind = (int)Math.Ceiling(options.DrainTimeout.TotalSeconds) + 5;
        return ConfigurationFactory.ParseString($$"""
            actorssgi.request-dispatcher {
              type = "ActorSsgi.Dispatch.InlineDispatcherConfigurator, ActorSsgi"
              throughput = 64
            }
            akka.coordinated-shutdown.phases.service-unbind.timeout = {{unbind}}s
            """);
    }
}
