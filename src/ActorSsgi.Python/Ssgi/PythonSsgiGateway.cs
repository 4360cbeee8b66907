using ActorSsgi.Python.Asgi;
using Microsoft.Extensions.Logging;
using Python.Runtime;

namespace ActorSsgi.Python.Ssgi;

/// <summary>
/// Serves Python <c>ssgi</c> handlers: each request or upgrade becomes one call of the handler on the event loop
/// thread (<see cref="EventLoopThread"/>); an <c>async def</c> handler, <c>run_async</c> work and every callback run on that
/// loop too. The request or session actor only snapshots the request line and posts; its entry completes when the
/// Python side reports that the handler (and its <c>run_async</c> work) is done.
/// </summary>
internal sealed class PythonSsgiGateway : IDisposable
{
    private readonly PyObject _startHttp;
    private readonly PyObject _startWebSocket;
    private readonly PyObject? _httpHandler;
    private readonly PyObject? _webSocketHandler;

    public PythonSsgiGateway(PyObject? httpHandler, PyObject? webSocketHandler, ILogger logger)
    {
        _httpHandler = httpHandler;
        _webSocketHandler = webSocketHandler;
        Logger = logger;
        Loop = new EventLoopThread();
        using (Py.GIL())
        {
            using var module = Py.Import("actorssgi_ssgi");
            _startHttp = module.GetAttr("start_http");
            _startWebSocket = module.GetAttr("start_websocket");
            Resolve = module.GetAttr("resolve");
            ResolveBody = module.GetAttr("resolve_body");
            ResolveChunk = module.GetAttr("resolve_chunk");
            Fail = module.GetAttr("fail");
        }
    }

    public EventLoopThread Loop { get; }

    public ILogger Logger { get; }

    public PyObject Resolve { get; }

    public PyObject ResolveBody { get; }

    public PyObject ResolveChunk { get; }

    public PyObject Fail { get; }

    /// <summary>A new reference to <c>None</c> (safe to dispose); the caller holds the GIL.</summary>
    public static PyObject None() => PyObject.FromManagedObject(null!);

    public static List<KeyValuePair<string, string>> Unflatten(string flat)
    {
        var headers = new List<KeyValuePair<string, string>>();
        if (flat.Length == 0)
        {
            return headers;
        }

        var parts = flat.Split('\0');
        if (parts.Length % 2 != 0)
        {
            throw new InvalidOperationException("A Python ssgi header contains a NUL character.");
        }

        for (var i = 0; i < parts.Length; i += 2)
        {
            headers.Add(new(parts[i], parts[i + 1]));
        }

        return headers;
    }

    /// <summary>The HTTP entry the request actors run.</summary>
    public ValueTask HandleHttp(SsgiType type, string serverAddress, string remoteAddress, string method, string path,
        string queryString, ISsgiHeaders getHeader, ISsgiHttpResponse res)
    {
        var call = new SsgiHttpCall(res, getHeader, this);
        var protocol = res.Extensions?.GetValueOrDefault(SsgiExtensionKeys.HttpProtocol) as string ?? "HTTP/1.1";
        var scheme = res.Extensions?.GetValueOrDefault(SsgiExtensionKeys.Scheme) as string ?? "http";
        string[] values = [type.ToWireString(), serverAddress, remoteAddress, method, path, queryString];
        Loop.Post(() =>
        {
            try
            {
                using var valueTuple = Tuple(values);
                using var extensions = new PyDict();
                extensions[SsgiExtensionKeys.HttpProtocol] = new PyString(protocol);
                extensions[SsgiExtensionKeys.Scheme] = new PyString(scheme);
                using var callObject = PyObject.FromManagedObject(call);
                _startHttp.Invoke(_httpHandler!, callObject, valueTuple, extensions).Dispose();
            }
            catch (PythonException error)
            {
                call.Finish(PythonRuntime.Describe(error));
            }
        });
        return EntryCompletion.AwaitInActor(call.Completion.Task);
    }

    /// <summary>The WebSocket entry the session actors run.</summary>
    public ValueTask HandleWebSocket(SsgiType type, string serverAddress, string remoteAddress, string method, string path,
        string queryString, ISsgiHeaders getHeader, ISsgiWebSocket ws)
    {
        var call = new SsgiSocketCall(ws, getHeader, this);

        // Registered here, in the actor, before Python can accept: the seed drops messages that find no on_receive.
        ws.OnReceive((Func<ISsgiWebSocket, SsgiMessage, ValueTask>)((_, message) => new ValueTask(call.Receive(message))));
        ws.OnClose((Func<ISsgiWebSocket, int, string?, ValueTask>)((_, code, reason) => new ValueTask(call.Closed(code, reason))));
        string[] values = [type.ToWireString(), serverAddress, remoteAddress, method, path, queryString];
        Loop.Post(() =>
        {
            try
            {
                using var valueTuple = Tuple(values);
                using var extensions = new PyDict();
                using var callObject = PyObject.FromManagedObject(call);
                _startWebSocket.Invoke(_webSocketHandler!, callObject, valueTuple, extensions).Dispose();
            }
            catch (PythonException error)
            {
                call.Finish(PythonRuntime.Describe(error));
            }
        });
        return EntryCompletion.AwaitInActor(call.Completion.Task);
    }

    /// <summary>Stops the event loop.</summary>
    public void Dispose() => Loop.Dispose();

    private static PyTuple Tuple(string[] values) => new(Array.ConvertAll(values, v => (PyObject)new PyString(v)));
}
