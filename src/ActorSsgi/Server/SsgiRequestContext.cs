using Akka.Actor;
using Microsoft.AspNetCore.Http.Features;

namespace ActorSsgi.Server;

/// <summary>
/// Kestrel's per-request context (<c>TContext</c>). Kestrel keeps one per connection (HTTP/1.1) or per pooled
/// stream (HTTP/2) through <c>IHostContextContainer</c>, so the addresses cached here are formatted once per
/// connection, not once per request.
/// </summary>
internal sealed class SsgiRequestContext
{
    private const int Running = 0, Completed = 1, Awaited = 2;

    private int _completion;
    private TaskCompletionSource? _completionSource;
    private string? _connectionId;

    public IFeatureCollection Features { get; private set; } = null!;

    public IHttpRequestFeature Request { get; private set; } = null!;

    /// <summary>The request actor that owns this request while it runs.</summary>
    public IActorRef? Owner { get; set; }

    public string ServerAddress { get; private set; } = "";

    public string RemoteAddress { get; private set; } = "";

    public void Open(IFeatureCollection features)
    {
        Features = features;
        Request = features.GetRequiredFeature<IHttpRequestFeature>();
        _completion = Running;
        _completionSource = null;

        var connection = features.Get<IHttpConnectionFeature>();
        if (connection is null)
        {
            ServerAddress = RemoteAddress = "";
            _connectionId = null;
        }
        else if (!ReferenceEquals(connection.ConnectionId, _connectionId))
        {
            _connectionId = connection.ConnectionId;
            ServerAddress = SsgiAddress.Format(connection.LocalIpAddress, connection.LocalPort);
            RemoteAddress = SsgiAddress.Format(connection.RemoteIpAddress, connection.RemotePort);
        }
    }

    /// <summary>Signals Kestrel that the request is over. Called once, from the owning actor.</summary>
    public void Complete()
    {
        if (Interlocked.CompareExchange(ref _completion, Completed, Running) == Awaited)
        {
            _completionSource!.TrySetResult();
        }
    }

    /// <summary>
    /// The task Kestrel awaits. Most requests complete while Kestrel's thread runs the actor inline, and then no
    /// task is allocated at all.
    /// </summary>
    public Task CompletionTask()
    {
        if (Volatile.Read(ref _completion) == Completed)
        {
            return Task.CompletedTask;
        }

        // Continuations run asynchronously: Kestrel's next request must not start inside the actor's message.
        var source = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _completionSource = source;
        return Interlocked.CompareExchange(ref _completion, Awaited, Running) == Running ? source.Task : Task.CompletedTask;
    }
}
