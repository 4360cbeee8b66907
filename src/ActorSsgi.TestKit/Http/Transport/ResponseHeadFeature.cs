using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace ActorSsgi.TestKit.Http.Transport;

/// <summary>
/// The response status and headers the server sets (<c>IHttpResponseFeature</c>), with Kestrel's rules: they
/// freeze when the response starts (first flush, or the end of the request), and at that moment the transport adds
/// <c>Content-Length: 0</c> to an empty response or chooses chunked framing for an unsized HTTP/1.1 body.
/// </summary>
internal sealed class ResponseHeadFeature(SyntheticConnection connection) : IHttpResponseFeature
{
    private readonly object _gate = new();
    private List<(Func<object, Task> Callback, object State)>? _onStarting;
    private List<(Func<object, Task> Callback, object State)>? _onCompleted;
    private int _statusCode = StatusCodes.Status200OK;
    private bool _started;

    public int StatusCode
    {
        get => _statusCode;
        set
        {
            connection.Guard.Check("Response StatusCode");
            if (HasStarted)
            {
                const string message = "StatusCode cannot be set because the response has already started.";
                connection.Recorder.Violation(message);
                throw new InvalidOperationException(message);
            }

            _statusCode = value;
        }
    }

    public string? ReasonPhrase { get; set; }

    public IHeaderDictionary Headers { get; set; } = new HeaderDictionary();

    [Obsolete("Use IHttpResponseBodyFeature.Stream instead.")]
    public Stream Body
    {
        get => connection.ResponseBody.Stream;
        set => throw new NotSupportedException("The synthetic transport's body stream cannot be replaced.");
    }

    public bool HasStarted
    {
        get
        {
            lock (_gate)
            {
                return _started;
            }
        }
    }

    /// <summary>Whether the status (and method) allow a response body.</summary>
    public bool BodyAllowed =>
        _statusCode is >= 200 and not (StatusCodes.Status204NoContent or StatusCodes.Status304NotModified)
        && !HttpMethods.IsHead(connection.Request.Method);

    public void OnStarting(Func<object, Task> callback, object state)
    {
        lock (_gate)
        {
            if (_started)
            {
                throw new InvalidOperationException("OnStarting cannot be set because the response has already started.");
            }

            (_onStarting ??= []).Add((callback, state));
        }
    }

    public void OnCompleted(Func<object, Task> callback, object state)
    {
        lock (_gate)
        {
            (_onCompleted ??= []).Add((callback, state));
        }
    }

    /// <summary>Starts the response: runs OnStarting callbacks, freezes and publishes the head. Once only.</summary>
    /// <param name="appCompleted">The request is over (Kestrel may then size an empty body as 0).</param>
    public void Commit(bool appCompleted)
    {
        List<(Func<object, Task> Callback, object State)>? onStarting;
        lock (_gate)
        {
            if (_started)
            {
                return;
            }

            onStarting = _onStarting;
            _onStarting = null;
        }

        // Kestrel runs them last registered first, before the head is frozen.
        for (var i = (onStarting?.Count ?? 0) - 1; i >= 0; i--)
        {
            onStarting![i].Callback(onStarting[i].State).GetAwaiter().GetResult();
        }

        var wire = new Dictionary<string, StringValues>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in Headers)
        {
            wire[name] = values;
        }

        var chunked = false;
        if (BodyAllowed && Headers.ContentLength is null && StringValues.IsNullOrEmpty(Headers.TransferEncoding))
        {
            if (appCompleted && connection.Writer.BytesWritten == 0)
            {
                wire[HeaderNames.ContentLength] = "0";
            }
            else if (connection.Request.Protocol == "HTTP/1.1")
            {
                chunked = true;
                wire[HeaderNames.TransferEncoding] = "chunked";
            }
        }

        lock (_gate)
        {
            _started = true;
        }

        if (Headers is HeaderDictionary headers)
        {
            headers.IsReadOnly = true;
        }

        connection.Recorder.OnStarted(new ResponseHead(_statusCode, wire, chunked));
    }

    /// <summary>Runs the OnCompleted callbacks once the request is over, as Kestrel does.</summary>
    public async Task RunOnCompletedAsync()
    {
        List<(Func<object, Task> Callback, object State)>? onCompleted;
        lock (_gate)
        {
            onCompleted = _onCompleted;
            _onCompleted = null;
        }

        for (var i = (onCompleted?.Count ?? 0) - 1; i >= 0; i--)
        {
            await onCompleted![i].Callback(onCompleted[i].State).ConfigureAwait(false);
        }
    }
}
