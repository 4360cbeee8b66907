using ActorSsgi.Sessions;
using ActorSsgi.WebSockets;
using Akka.Actor;

namespace ActorSsgi.Cluster.Sessions;

/// <summary>The cluster's <see cref="ISessionDirectory"/>: a thin, thread-safe front for this node's <see cref="SessionKeysActor"/>.</summary>
internal sealed class ClusterSessionDirectory : ISessionDirectory
{
    private readonly IActorRef _keys;

    public ClusterSessionDirectory(IActorRef keys) => _keys = keys;

    public Task Bind(string key, IActorRef session)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _keys.Tell(new BindKey(key, session, done));
        return done.Task;
    }

    public void Unbind(string key, IActorRef session) => _keys.Tell(new UnbindKey(key, session));

    public Task<SsgiKeyedSendResult> SendTo(string key, TopicDelivery delivery)
    {
        var result = new TaskCompletionSource<SsgiKeyedSendResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        _keys.Tell(new SendToKey(key, delivery, result));
        return result.Task;
    }
}
