using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace ActorSsgi.TestKit.WebSockets;

/// <summary>
/// The features Kestrel would give an upgrade request: the request line and headers, a response head and body
/// (for a rejection), and an upgrade that hands out the server end of an in-memory connection.
/// </summary>
internal sealed class UpgradeFeatures : IHttpUpgradeFeature, IHttpResponseFeature, IHttpResponseBodyFeature
{
    private readonly Stream _serverEnd;
    private readonly MemoryStream _body = new();
    private readonly System.IO.Pipelines.PipeWriter _bodyWriter;

    public UpgradeFeatures(Stream serverEnd)
    {
        _serverEnd = serverEnd;
        _bodyWriter = System.IO.Pipelines.PipeWriter.Create(_body, new System.IO.Pipelines.StreamPipeWriterOptions(leaveOpen: true));
    }

    /// <summary>Completes with the response head when the server upgrades.</summary>
    public TaskCompletionSource Upgraded { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool IsUpgradableRequest => true;

    public Task<Stream> UpgradeAsync()
    {
        HasStarted = true;
        Upgraded.TrySetResult();
        return Task.FromResult(_serverEnd);
    }

    public int StatusCode { get; set; } = 200;

    public string? ReasonPhrase { get; set; }

    public IHeaderDictionary Headers { get; set; } = new HeaderDictionary();

    public Stream Body { get => _body; set => throw new NotSupportedException(); }

    public bool HasStarted { get; private set; }

    public Stream Stream => _body;

    public System.IO.Pipelines.PipeWriter Writer => _bodyWriter;

    /// <summary>The response body written so far (a rejection's payload).</summary>
    public byte[] BodyBytes()
    {
        _bodyWriter.FlushAsync().AsTask().GetAwaiter().GetResult();
        return _body.ToArray();
    }

    public void OnStarting(Func<object, Task> callback, object state)
    {
    }

    public void OnCompleted(Func<object, Task> callback, object state)
    {
    }

    public void DisableBuffering()
    {
    }

    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        HasStarted = true;
        return Task.CompletedTask;
    }

    public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task CompleteAsync() => _bodyWriter.FlushAsync().AsTask();
}
