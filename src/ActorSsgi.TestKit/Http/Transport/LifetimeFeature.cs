using Microsoft.AspNetCore.Http.Features;

namespace ActorSsgi.TestKit.Http.Transport;

/// <summary>
/// <c>IHttpRequestLifetimeFeature</c>: <c>RequestAborted</c> fires when either side drops the connection;
/// <c>Abort()</c> is the server dropping it.
/// </summary>
internal sealed class LifetimeFeature(SyntheticConnection connection) : IHttpRequestLifetimeFeature
{
    private readonly CancellationTokenSource _aborted = new();

    public CancellationToken RequestAborted
    {
        get => _aborted.Token;
        set => throw new NotSupportedException("The synthetic transport owns RequestAborted.");
    }

    public void Abort()
    {
        connection.Guard.Check("IHttpRequestLifetimeFeature.Abort");
        connection.ServerAbort();
    }

    /// <summary>Fires <see cref="RequestAborted"/>; its callbacks run on the calling thread.</summary>
    public void Cancel()
    {
        try
        {
            _aborted.Cancel();
        }
        catch (AggregateException ex)
        {
            connection.Recorder.Violation($"A RequestAborted callback threw: {ex.InnerException?.Message}");
        }
    }
}
