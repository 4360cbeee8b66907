using System.IO.Pipelines;
using System.Net;
using ActorSsgi.Server;
using Microsoft.AspNetCore.Hosting.Server.Abstractions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace ActorSsgi.Tests.Support;

/// <summary>
/// One connection's features, reused for request after request as Kestrel reuses its own (and keeping the server's
/// context, through <see cref="IHostContextContainer{TContext}"/>): nothing here allocates per request, so what a
/// request allocates on the thread is the server's doing.
/// </summary>
internal sealed class ReusableFeatures : IFeatureCollection, IHostContextContainer<SsgiRequestContext>,
    IHttpResponseFeature, IHttpResponseBodyFeature, IHttpRequestLifetimeFeature, IHttpRequestBodyDetectionFeature
{
    private readonly HttpRequestFeature _request = new()
    {
        Protocol = "HTTP/1.1",
        Scheme = "http",
        Method = "GET",
        Path = "/plaintext",
        QueryString = "",
        RawTarget = "/plaintext",
    };

    private readonly HttpConnectionFeature _connection = new()
    {
        ConnectionId = "reusable",
        LocalIpAddress = IPAddress.Loopback,
        LocalPort = 8080,
        RemoteIpAddress = IPAddress.Loopback,
        RemotePort = 50000,
    };

    private readonly HeaderDictionary _responseHeaders = new();
    private readonly DiscardingWriter _writer = new();

    public ReusableFeatures()
    {
        _request.Headers.Host = "localhost";
        _request.Headers.Accept = "text/plain";
        _request.Headers.UserAgent = "spec";
        _request.Headers["x"] = "single";
        _request.Headers["x-multi"] = new Microsoft.Extensions.Primitives.StringValues(["a", "b"]);
    }

    public SsgiRequestContext? HostContext { get; set; }

    /// <summary>Bytes the server wrote to the body over all requests.</summary>
    public long BodyBytes => _writer.Written;

    /// <summary>Ready for the next request on the "connection".</summary>
    public void Reset()
    {
        _responseHeaders.IsReadOnly = false;
        _responseHeaders.Clear();
        StatusCode = 200;
    }

    // IFeatureCollection: a type switch, no dictionary.
    public bool IsReadOnly => true;

    public int Revision => 0;

    public object? this[Type key]
    {
        get => Find(key);
        set => throw new NotSupportedException();
    }

    public TFeature? Get<TFeature>() => (TFeature?)Find(typeof(TFeature));

    public void Set<TFeature>(TFeature? instance) => throw new NotSupportedException();

    public IEnumerator<KeyValuePair<Type, object>> GetEnumerator() => throw new NotSupportedException();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    private object? Find(Type type) =>
        type == typeof(IHttpRequestFeature) ? _request
        : type == typeof(IHttpConnectionFeature) ? _connection
        : type == typeof(IHttpResponseFeature) || type == typeof(IHttpResponseBodyFeature)
          || type == typeof(IHttpRequestLifetimeFeature) || type == typeof(IHttpRequestBodyDetectionFeature) ? this
        : null;

    // IHttpResponseFeature
    public int StatusCode { get; set; } = 200;

    public string? ReasonPhrase { get; set; }

    public IHeaderDictionary Headers
    {
        get => _responseHeaders;
        set => throw new NotSupportedException();
    }

    [Obsolete("Use IHttpResponseBodyFeature.Stream instead.")]
    public Stream Body
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public bool HasStarted => false;

    public void OnStarting(Func<object, Task> callback, object state) => throw new NotSupportedException();

    public void OnCompleted(Func<object, Task> callback, object state) => throw new NotSupportedException();

    // IHttpResponseBodyFeature
    public Stream Stream => throw new NotSupportedException();

    public PipeWriter Writer => _writer;

    public void DisableBuffering()
    {
    }

    public Task StartAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task CompleteAsync() => Task.CompletedTask;

    // IHttpRequestLifetimeFeature
    public CancellationToken RequestAborted
    {
        get => CancellationToken.None;
        set => throw new NotSupportedException();
    }

    public void Abort()
    {
    }

    // IHttpRequestBodyDetectionFeature
    public bool CanHaveBody => false;

    /// <summary>A writer that forgets what it is given, into one reused buffer.</summary>
    private sealed class DiscardingWriter : PipeWriter
    {
        private readonly byte[] _buffer = new byte[4096];

        public long Written { get; private set; }

        public override void Advance(int bytes) => Written += bytes;

        public override Memory<byte> GetMemory(int sizeHint = 0) => _buffer;

        public override Span<byte> GetSpan(int sizeHint = 0) => _buffer;

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) => default;

        public override void CancelPendingFlush()
        {
        }

        public override void Complete(Exception? exception = null)
        {
        }
    }
}
