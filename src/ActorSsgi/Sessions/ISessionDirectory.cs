using ActorSsgi.WebSockets;
using Akka.Actor;

namespace ActorSsgi.Sessions;

/// <summary>
/// Where session keys live (<see cref="ISsgiSessions"/>). Local by default; the cluster package swaps in one whose
/// keys are replicated across nodes. Implementations are thread-safe.
/// </summary>
internal interface ISessionDirectory
{
    /// <summary>Binds <paramref name="session"/> to <paramref name="key"/>; completes when other nodes can see it.</summary>
    Task Bind(string key, IActorRef session);

    void Unbind(string key, IActorRef session);

    /// <summary>Hands <paramref name="delivery"/> to every live session bound to <paramref name="key"/>.</summary>
    Task<SsgiKeyedSendResult> SendTo(string key, TopicDelivery delivery);
}
