using System.Text;
using Microsoft.Extensions.Logging;
using Python.Runtime;

namespace ActorSsgi.Python.Rsgi;

/// <summary>
/// Serves one RSGI application, HTTP and WebSockets, on one event loop. The actor's entry only snapshots .NET values
/// into one string (fields and headers joined with NUL) and posts; on the loop one Python call splits it into the
/// scope and starts the app's task. The entry awaits that task, so the request keeps its actor and supervision.
/// </summary>
/// <remarks>Public only because Python reaches it through its calls' members.</remarks>
public sealed class RsgiGateway : IDisposable
{
    private readonly EventLoopThread _loop;
    private readonly PyObject _target;
    private readonly PyObject _startHttp;
    private readonly PyObject _startWs;
    private readonly PyObject _resolve;
    private readonly PyObject _fail;
    private readonly PyObject _resolveMessage;
    private readonly PyObject _none;

    internal RsgiGateway(PyObject app, ILogger logger)
    {
        Logger = logger;
        using (Py.GIL())
        {
            using var module = Py.Import("actorssgi_rsgi");
            _target = module.GetAttr("target_of").Invoke(app);
            _startHttp = module.GetAttr("start_http");
            _startWs = module.GetAttr("start_ws");
            _resolve = module.GetAttr("resolve");
            _fail = module.GetAttr("fail");
            _resolveMessage = module.GetAttr("resolve_message");
            _none = PyObject.None;
        }

        // The shared loop thread, wrapped by actorssgi_rsgi.Loop: the app's __rsgi_init__ before it runs (a failure fails
        // the server's start), __rsgi_del__ after it stopped (a failure is logged).
        _loop = new EventLoopThread(
            "actorssgi-rsgi-loop",
            bridge =>
            {
                using var rsgi = Py.Import("actorssgi_rsgi");
                return rsgi.GetAttr("Loop").Invoke(bridge, app);
            },
            static error => new InvalidOperationException(
                "The RSGI application's __rsgi_init__ failed:" + Environment.NewLine + PythonRuntime.Describe(error), error),
            error => logger.LogError("The RSGI application's __rsgi_del__ failed: {Traceback}", PythonRuntime.Describe(error)));
    }

    internal ILogger Logger { get; }

    /// <summary>The <c>ssgi</c> HTTP entry the request actors run.</summary>
    internal ValueTask HandleHttp(SsgiType type, string serverAddress, string remoteAddress, string method, string path,
        string queryString, ISsgiHeaders getHeader, ISsgiHttpResponse res)
    {
        var headers = getHeader.GetHeaders();
        var protocol = res.Extensions?.GetValueOrDefault(SsgiExtensionKeys.HttpProtocol) as string ?? "HTTP/1.1";
        var hasBody = headers.TryGetValue("content-length", out var length) ? length != "0" : headers.ContainsKey("transfer-encoding");
        var packed = Pack(method, path, queryString, serverAddress, remoteAddress, protocol,
            res.Extensions?.GetValueOrDefault(SsgiExtensionKeys.Scheme) as string ?? "http", hasBody, headers);
        if (packed is null)
        {
            res.SendStatus(400);
            res.Send("The request path contains a NUL character.");
            return default;
        }

        var call = new RsgiHttpCall(res, this, path);
        _loop.Post(() =>
        {
            try
            {
                using var callObject = PyObject.FromManagedObject(call);
                using var text = new PyString(packed);
                _startHttp.Invoke(_target, callObject, text).Dispose();
            }
            catch (PythonException error)
            {
                call.Finish(PythonRuntime.Describe(error));
            }
        });
        return AwaitHttp(call);
    }

    /// <summary>The <c>ssgi</c> WebSocket entry the session actors run.</summary>
    internal ValueTask HandleWebSocket(SsgiType type, string serverAddress, string remoteAddress, string method, string path,
        string queryString, ISsgiHeaders getHeader, ISsgiWebSocket ws)
    {
        // An HTTP/2 WebSocket arrives as an extended CONNECT (RFC 8441); WebSocket sessions carry no scheme extension.
        var packed = Pack(method, path, queryString, serverAddress, remoteAddress, method == "CONNECT" ? "HTTP/2" : "HTTP/1.1",
            "http", hasBody: false, getHeader.GetHeaders());
        if (packed is null)
        {
            return ws.Reject(400, "The request path contains a NUL character."u8.ToArray());
        }

        var call = new RsgiWebSocketCall(ws, this, path);
        _loop.Post(() =>
        {
            try
            {
                using var callObject = PyObject.FromManagedObject(call);
                using var text = new PyString(packed);
                _startWs.Invoke(_target, callObject, text).Dispose();
            }
            catch (PythonException error)
            {
                call.Finish(PythonRuntime.Describe(error));
            }
        });
        return EntryCompletion.AwaitInActor(call.Completion.Task);
    }

    /// <summary>Queues work for the loop thread (run under the GIL).</summary>
    internal void Post(Action work) => _loop.Post(work);

    /// <summary>Completes <paramref name="future"/>; only on the loop thread.</summary>
    internal void Resolve(PyObject future, PyObject? value) => _resolve.Invoke(future, value ?? _none).Dispose();

    /// <summary>Fails <paramref name="future"/> with <c>ProtocolClosed</c> or <c>ProtocolError</c>; only on the loop thread.</summary>
    internal void Fail(PyObject future, bool closed, string message)
    {
        using var text = new PyString(message);
        _fail.Invoke(future, closed.ToPython(), text).Dispose();
    }

    /// <summary>Completes a <c>receive()</c> with a message of <paramref name="kind"/>; only on the loop thread.</summary>
    internal void ResolveMessage(PyObject future, int kind, PyObject? data)
    {
        using var kindObject = new PyInt(kind);
        _resolveMessage.Invoke(future, kindObject, data ?? _none).Dispose();
        data?.Dispose();
    }

    /// <summary>Stops the loop; the app's <c>__rsgi_del__</c> runs as it stops.</summary>
    public void Dispose() => _loop.Dispose();

    private static string? Pack(string method, string path, string query, string server, string client, string protocol,
        string scheme, bool hasBody, IReadOnlyDictionary<string, string> headers)
    {
        // Kestrel refuses NUL in headers, but a percent-decoded path can carry one, and it would shift every field.
        if (path.Contains('\0') || query.Contains('\0'))
        {
            return null;
        }

        var http2 = protocol == "HTTP/2";
        var builder = new StringBuilder(256);
        builder.Append(method).Append('\0').Append(path).Append('\0').Append(query).Append('\0')
            .Append(server).Append('\0').Append(client).Append('\0')
            .Append(protocol switch { "HTTP/1.0" => "1", "HTTP/2" => "2", _ => "1.1" }).Append('\0')
            .Append(scheme).Append('\0')
            .Append(http2 && headers.TryGetValue("host", out var authority) ? authority : "").Append('\0')
            .Append(hasBody ? '1' : '0');
        foreach (var (name, value) in headers)
        {
            builder.Append('\0').Append(name).Append('\0').Append(value);
        }

        return builder.ToString();
    }

    // EntryCompletion yields to the actor on failure too, so an exception after a stream started reaches the actor
    // behind the status and chunks already posted (an abort, not a 500).
    private static ValueTask AwaitHttp(RsgiHttpCall call) => EntryCompletion.AwaitInActor(WhenDone(call));

    private static async Task WhenDone(RsgiHttpCall call)
    {
        await call.Completion.Task;
        if (call.FileTask is { } file)
        {
            await file;
        }
    }
}
