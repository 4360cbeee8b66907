using ActorSsgi.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace ActorSsgi.TestKit.Http.Transport;

/// <summary>
/// What Kestrel's connection is to one request: the feature collection the server reads and writes, wired to a
/// <see cref="SyntheticRequest"/> on the client side and a <see cref="ResponseRecorder"/> on the other.
/// </summary>
internal sealed class SyntheticConnection
{
    private static long s_ids;

    public SyntheticConnection(SyntheticRequest request, ActorSsgiOptions server, bool guardActorThread)
    {
        Request = request;
        Recorder = new ResponseRecorder(request.ResponseBufferSize, request.ResponseReadingPaused);
        Guard = new ActorThreadGuard(Recorder, guardActorThread);
        ResponseHead = new ResponseHeadFeature(this);
        Writer = new ResponseBodyWriter(this);
        ResponseBody = new ResponseBodyFeature(this);
        Lifetime = new LifetimeFeature(this);
        var body = request.Body;
        BodyReader = new RequestBodyReader(this, body.Reader, body.ContentLength, server.Limits.MaxRequestBodySize);

        var head = new HttpRequestFeature
        {
            Protocol = request.Protocol,
            Scheme = request.Scheme,
            Method = request.Method,
            PathBase = "",
            Path = request.Path,
            QueryString = request.QueryString.Length == 0 ? "" : "?" + request.QueryString,
            RawTarget = request.RawTarget,
            Body = BodyReader.AsStream(leaveOpen: true),
        };
        foreach (var (name, values) in request.Headers)
        {
            head.Headers[name] = values;
        }

        Features = new FeatureCollection();
        Features.Set<IHttpRequestFeature>(head);
        Features.Set<IRequestBodyPipeFeature>(new BodyReaderFeature(request.BodyReaderWrapper?.Invoke(BodyReader) ?? BodyReader));
        Features.Set<IHttpRequestBodyDetectionFeature>(new BodyDetectionFeature(body.CanHaveBody));
        Features.Set<IHttpResponseFeature>(ResponseHead);
        Features.Set<IHttpResponseBodyFeature>(ResponseBody);
        Features.Set<IHttpRequestLifetimeFeature>(Lifetime);
        Features.Set<IHttpConnectionFeature>(new HttpConnectionFeature
        {
            ConnectionId = "synthetic-" + Interlocked.Increment(ref s_ids),
            LocalIpAddress = request.LocalEndPoint.Address,
            LocalPort = request.LocalEndPoint.Port,
            RemoteIpAddress = request.RemoteEndPoint.Address,
            RemotePort = request.RemoteEndPoint.Port,
        });
    }

    public SyntheticRequest Request { get; }

    public FeatureCollection Features { get; }

    public ResponseRecorder Recorder { get; }

    public ActorThreadGuard Guard { get; }

    public ResponseHeadFeature ResponseHead { get; }

    public ResponseBodyWriter Writer { get; }

    public ResponseBodyFeature ResponseBody { get; }

    public LifetimeFeature Lifetime { get; }

    public RequestBodyReader BodyReader { get; }

    /// <summary>The client went away: the transport closes first, then <c>RequestAborted</c> fires.</summary>
    public void ClientAbort()
    {
        Recorder.Abort(byClient: true);
        BodyReader.Abort();
        Lifetime.Cancel();
    }

    /// <summary>
    /// The server aborted the connection. As in Kestrel, <c>RequestAborted</c> fires on the thread pool, never
    /// inside the caller (the request's actor).
    /// </summary>
    public void ServerAbort()
    {
        if (Recorder.Abort(byClient: false))
        {
            BodyReader.Abort();
            ThreadPool.UnsafeQueueUserWorkItem(static lifetime => lifetime.Cancel(), Lifetime, preferLocal: false);
        }
    }

    /// <summary>
    /// Kestrel's end of a request, once the application's task completed: start the response if it has not
    /// started, check the body against its Content-Length, flush and end the body, run OnCompleted callbacks.
    /// </summary>
    public async Task EndAsync()
    {
        if (!Recorder.IsAborted)
        {
            // A dropped connection gets no head at all.
            ResponseHead.Commit(appCompleted: true);
        }

        if (!Recorder.IsAborted
            && ResponseHead.BodyAllowed
            && ResponseHead.Headers.ContentLength is long length
            && Writer.BytesWritten != length)
        {
            Recorder.Violation($"Response Content-Length mismatch: too few bytes written ({Writer.BytesWritten} of {length}); Kestrel aborts the connection.");
            ServerAbort();
        }

        await Writer.EndAsync().ConfigureAwait(false);
        await ResponseHead.RunOnCompletedAsync().ConfigureAwait(false);
        Recorder.Record(SyntheticResponseEvent.RequestCompleted);
    }
}
