using Microsoft.Extensions.Logging;
using Python.Runtime;

namespace ActorSsgi.Python.Asgi;

/// <summary>
/// Serves one ASGI application: runs its lifespan startup when bound, then turns each request into a task on the
/// event loop. The request (or session) actor only snapshots .NET values and posts; the entry awaits the app's
/// coroutine (for a WebSocket: until the app accepted, rejected or returned).
/// </summary>
/// <remarks>Public only because Python reports lifespan outcomes to it through pythonnet.</remarks>
public sealed class AsgiGateway : IDisposable
{
    private static readonly TimeSpan LifespanTimeout = TimeSpan.FromSeconds(30);
    private readonly EventLoopThread _loop;
    private readonly PyObject _app;
    private readonly PyObject _startHttp;
    private readonly PyObject _startWebSocket;
    private readonly int _webSocketQueue;
    private readonly PyObject _resolve;
    private readonly PyObject _state;
    private readonly ILogger _logger;
    private readonly TaskCompletionSource<(string Outcome, string Text)> _startup = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<(string Outcome, string Text)> _shutdown = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private PyObject? _stopLifespan;

    internal AsgiGateway(PyObject app, ILogger logger, int webSocketQueue)
    {
        _app = app;
        _webSocketQueue = webSocketQueue;
        _logger = logger;
        _loop = new EventLoopThread();
        using (Py.GIL())
        {
            using var module = Py.Import("actorssgi_asgi");
            _startHttp = module.GetAttr("start_http");
            _startWebSocket = module.GetAttr("start_websocket");
            _resolve = module.GetAttr("resolve");
            _state = new PyDict();
        }
    }

    /// <summary>Runs lifespan startup; an app that fails it stops the server's start with its message.</summary>
    internal void StartLifespan()
    {
        _loop.Post(() =>
        {
            using var module = Py.Import("actorssgi_asgi");
            _stopLifespan = module.GetAttr("start_lifespan").Invoke(_app, PyObject.FromManagedObject(this), _state);
        });
        if (!_startup.Task.Wait(LifespanTimeout))
        {
            throw new InvalidOperationException($"The ASGI application did not answer lifespan.startup within {LifespanTimeout.TotalSeconds:0} s.");
        }

        var (outcome, text) = _startup.Task.Result;
        switch (outcome)
        {
            case "failed":
                throw new InvalidOperationException($"The ASGI application's lifespan startup failed: {text}");
            case "unsupported":
                _logger.LogInformation("The ASGI application does not support lifespan; serving without it ({Reason}).", text);
                break;
        }
    }

    /// <summary>Lifespan: called by the driver when startup completed, failed or proved unsupported.</summary>
    /// <param name="outcome"><c>complete</c>, <c>failed</c> or <c>unsupported</c>.</param>
    /// <param name="text">The failure message or traceback.</param>
    public void LifespanStarted(string outcome, string text) => _startup.TrySetResult((outcome, text));

    /// <summary>Lifespan: called by the driver when shutdown completed or failed.</summary>
    /// <param name="outcome"><c>complete</c> or <c>failed</c>.</param>
    /// <param name="text">The failure message.</param>
    public void LifespanStopped(string outcome, string text) => _shutdown.TrySetResult((outcome, text));

    /// <summary>The <c>ssgi</c> entry the request actors run.</summary>
    internal ValueTask Handle(SsgiType type, string serverAddress, string remoteAddress, string method, string path,
        string queryString, ISsgiHeaders getHeader, ISsgiHttpResponse res)
    {
        var headers = getHeader.GetHeaders();
        var hasBody = headers.ContainsKey("content-length") ? headers["content-length"] != "0" : headers.ContainsKey("transfer-encoding");
        var (serverHost, serverPort) = Split(serverAddress);
        var (clientHost, clientPort) = Split(remoteAddress);
        var protocol = res.Extensions?.GetValueOrDefault(SsgiExtensionKeys.HttpProtocol) as string ?? "HTTP/1.1";
        var scheme = res.Extensions?.GetValueOrDefault(SsgiExtensionKeys.Scheme) as string ?? "http";
        string[] values =
        [
            method, path, path, queryString, serverHost, serverPort, clientHost, clientPort,
            protocol switch { "HTTP/1.0" => "1.0", "HTTP/2" => "2", _ => "1.1" }, scheme,
        ];
        var call = new AsgiHttpCall(res, _loop, _resolve);
        _loop.Post(() =>
        {
            try
            {
                using var valueTuple = new PyTuple(Array.ConvertAll(values, v => (PyObject)new PyString(v)));
                using var headerItems = Flatten(headers);
                using var callObject = PyObject.FromManagedObject(call);
                _startHttp.Invoke(_app, callObject, valueTuple, headerItems, hasBody.ToPython(), _state).Dispose();
            }
            catch (PythonException error)
            {
                call.Finish(PythonRuntime.Describe(error));
            }
        });
        return EntryCompletion.AwaitInActor(call.Completion.Task);
    }

    /// <summary>
    /// The <c>ssgi</c> WebSocket entry the session actors run: registers on_receive and on_close (in the actor, so
    /// no message can arrive before them), snapshots the upgrade request and starts the app's session task.
    /// </summary>
    internal ValueTask HandleWebSocket(SsgiType type, string serverAddress, string remoteAddress, string method, string path,
        string queryString, ISsgiHeaders getHeader, ISsgiWebSocket ws)
    {
        var headers = getHeader.GetHeaders();
        var (serverHost, serverPort) = Split(serverAddress);
        var (clientHost, clientPort) = Split(remoteAddress);
        var scheme = ws.Extensions?.GetValueOrDefault(SsgiExtensionKeys.Scheme) as string == "https" ? "wss" : "ws";
        string[] values =
        [
            path, queryString, serverHost, serverPort, clientHost, clientPort,
            // RFC 8441: a WebSocket over HTTP/2 is an extended CONNECT.
            method == "CONNECT" ? "2" : "1.1", scheme,
        ];
        var subprotocols = headers.TryGetValue("sec-websocket-protocol", out var offered)
            ? offered.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            : [];
        var call = new AsgiWebSocketCall(ws, _loop, _resolve, _logger, path, _webSocketQueue);
        ws.OnReceive(call.OnMessage);
        ws.OnClose(call.OnClosed);
        _loop.Post(() =>
        {
            try
            {
                using var valueTuple = new PyTuple(Array.ConvertAll(values, v => (PyObject)new PyString(v)));
                using var headerItems = Flatten(headers);
                using var protocols = new PyTuple(Array.ConvertAll(subprotocols, v => (PyObject)new PyString(v)));
                using var callObject = PyObject.FromManagedObject(call);
                call.Session = _startWebSocket.Invoke(_app, callObject, valueTuple, headerItems, protocols, _state);
            }
            catch (PythonException error)
            {
                call.Finish(PythonRuntime.Describe(error), "connecting");
            }
        });
        return new ValueTask(call.Decided.Task);
    }

    /// <summary>Runs lifespan shutdown (bounded) and stops the loop.</summary>
    public void Dispose()
    {
        if (_stopLifespan is { } stop)
        {
            _loop.Post(() => stop.Invoke().Dispose());
            if (_shutdown.Task.Wait(TimeSpan.FromSeconds(10)) && _shutdown.Task.Result.Outcome == "failed")
            {
                _logger.LogError("The ASGI application's lifespan shutdown failed: {Message}", _shutdown.Task.Result.Text);
            }
        }

        _loop.Dispose();
    }


    // Under the GIL: name, value, name, value... (the driver makes the latin-1 byte pairs).
    private static PyTuple Flatten(IReadOnlyDictionary<string, string> headers)
    {
        var items = new PyObject[headers.Count * 2];
        var i = 0;
        foreach (var (name, value) in headers)
        {
            items[i++] = new PyString(name);
            items[i++] = new PyString(value);
        }

        return new PyTuple(items);
    }

    private static (string Host, string Port) Split(string address)
    {
        var colon = address.LastIndexOf(':');
        return colon < 0 ? (address, "") : (address[..colon].Trim('[', ']'), address[(colon + 1)..]);
    }
}
