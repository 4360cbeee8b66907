using ActorSsgi.Hosting;
using ActorSsgi.Server;
using Akka.Actor;

namespace ActorSsgi.TestKit.Http.Transport;

/// <summary>Gives a test's actor system ActorSsgi's request dispatcher when its configuration has none.</summary>
internal static class RequestDispatcher
{
    public static void EnsureRegistered(ActorSystem system, ActorSsgiOptions options)
    {
        // A system built from plain TestKit config lacks it; one configured like production keeps its own.
        if (!system.Dispatchers.HasDispatcher(SsgiServer.DispatcherId))
        {
            system.Settings.InjectTopLevelFallback(SsgiHocon.Defaults(options));
        }
    }
}
