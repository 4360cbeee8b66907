using Akka.Actor;
using Microsoft.AspNetCore.Http.Features;

namespace ActorSsgi.Server;

/// <summary>
/// Kestrel's per-request context (<c>TContext</c>). Kestrel keeps one per connection (HTTP/1.1) or per pooled
/// stream (HTTP/2) through <c>IHostContextContainer</c>, so the features and addresses cached here are looked up
/// and formatted once per connection, not once per request.
/// </summary>
internal sealed class SsgiRequestContext
{
    private const int Running = 0, Completed = 1, Awaited = 2;

    private int _completion;
    private TaskCompletionSource? _completionSource;

    public IFeatureCollection Features { get; private set; } = null!;

    public IHttpRequestFeature Request { get; private set; } = null!;

    /// <summary>Status and headers of the response.</summary>
    public IHttpResponseFeature Response { get; private set; } = null!;

    /// <summary>The response body writer.</summary>
    public IHttpResponseBodyFeature Body { get; private set; } = null!;

    /// <summary>The HTTP/1.1 upgrade feature, when the connection has one.</summary>
    public IHttpUpgradeFeature? Upgrade { get; private set; }

    /// <summary>The request actor that owns this request while it runs.</summary>
    public IActorRef? Owner { get; set; }

    /// <summary>The hosted application's view of this connection's features (ASP.NET Core only), kept per connection.</summary>
    public Interfaces.HostedFeatures? HostedFeatures { get; set; }

    public string ServerAddress { get; private set; } = "";

    /// <summary>The metrics kept between the request's start and end (see <see cref="Telemetry.ActorSsgiMetrics"/>).</summary>
    public Telemetry.RequestMeasurement Measurement;

    public string RemoteAddress { get; private set; } = "";

    public void Open(IFeatureCollection features)
    {
        _completion = Running;
        _completionSource = null;
        if (ReferenceEquals(features, Features))
        {
            // The same collection as this connection's previous request (Kestrel reuses its per-connection request
            // object, and pooled HTTP/2 streams stay on their connection): it hands out the same feature objects,
            // because nothing in ActorSsgi replaces a feature. Five generic feature lookups per request measured
            // about 1% of a pipelined plaintext request's CPU.
            return;
        }

        Features = features;
        Request = features.GetRequiredFeature<IHttpRequestFeature>();
        Response = features.GetRequiredFeature<IHttpResponseFeature>();
        Body = features.GetRequiredFeature<IHttpResponseBodyFeature>();
        Upgrade = features.Get<IHttpUpgradeFeature>();
        var connection = features.Get<IHttpConnectionFeature>();
        if (connection is null)
        {
            ServerAddress = RemoteAddress = "";
        }
        else
        {
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
