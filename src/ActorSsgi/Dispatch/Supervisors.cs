using Akka.Actor;

namespace ActorSsgi.Dispatch;

/// <summary>Starts the top-level supervisors under which request and session actors are attached.</summary>
internal static class Supervisors
{
    private static int s_instances;

    /// <summary>
    /// Starts a supervisor and returns its cell. Children are attached directly to that cell, as
    /// <c>ActorSystem.ActorOf</c> does for the guardian: safe from any thread (Kestrel's), and the supervisor's
    /// strategy governs every child. A top-level ref is repointable: its real cell exists once the actor has
    /// processed a message, hence the Identify round trip.
    /// </summary>
    public static async Task<ActorCell> StartAsync(ActorSystem system, Props props, string name)
    {
        var supervisor = system.ActorOf(props, name + "-" + Interlocked.Increment(ref s_instances));
        await supervisor.Ask<ActorIdentity>(new Identify(null), TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        return ((ActorRefWithCell)supervisor).Underlying as ActorCell
            ?? throw new InvalidOperationException($"{supervisor.Path} did not start.");
    }
}
