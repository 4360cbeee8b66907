using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging;
using Python.Runtime;

namespace ActorSsgi.Python.Wsgi;

/// <summary>
/// Serves one WSGI application. The request actor snapshots what the environ needs and queues the call; a small,
/// fixed set of WSGI threads (<see cref="PythonOptions.WsgiThreads"/>, 1 by default) takes calls in arrival order and
/// runs them under the GIL. The actor's entry awaits the call's completion, so the request keeps its actor,
/// supervision and limits: a Python exception faults the entry's task, and the server answers 500 (or aborts).
/// </summary>
internal sealed class WsgiGateway : IDisposable
{
    private readonly BlockingCollection<(WsgiCall Call, string[] Environ, IReadOnlyDictionary<string, string> Headers)> _queue = new();
    private readonly PyObject _app;
    private readonly PyObject _run;
    private readonly PyObject _multithread;
    private readonly PyObject _errors;
    private readonly Thread[] _threads;

    public WsgiGateway(PyObject app, PythonOptions options, ILogger logger)
    {
        _app = app;
        using (Py.GIL())
        {
            using var module = Py.Import("actorssgi_wsgi");
            _run = module.GetAttr("run");
            _multithread = (options.WsgiThreads > 1).ToPython();
            _errors = module.GetAttr("Errors").Invoke(PyObject.FromManagedObject(new ErrorSink(logger)));
        }

        _threads = new Thread[Math.Max(1, options.WsgiThreads)];
        for (var i = 0; i < _threads.Length; i++)
        {
            _threads[i] = new Thread(Work) { IsBackground = true, Name = $"actorssgi-wsgi-{i}" };
            _threads[i].Start();
        }
    }

    /// <summary>The <c>ssgi</c> entry the request actors run.</summary>
    public ValueTask Handle(SsgiType type, string serverAddress, string remoteAddress, string method, string path,
        string queryString, ISsgiHeaders getHeader, ISsgiHttpResponse res)
    {
        var call = new WsgiCall(res);
        var headers = getHeader.GetHeaders();
        var (serverName, serverPort) = Split(serverAddress);
        var (remoteName, remotePort) = Split(remoteAddress);
        var extensions = res.Extensions;
        var protocol = extensions?.GetValueOrDefault(SsgiExtensionKeys.HttpProtocol) as string ?? "HTTP/1.1";
        var scheme = extensions?.GetValueOrDefault(SsgiExtensionKeys.Scheme) as string ?? "http";

        // Only .NET values here: the actor never waits for the GIL (which a busy WSGI thread holds for up to the
        // interpreter's switch interval). The Python objects are built on the WSGI thread.
        string[] environ =
        [
            method, PathInfo(path), queryString, serverName, serverPort, protocol == "HTTP/2" ? "HTTP/2.0" : protocol,
            scheme, remoteName, remotePort,
        ];
        _queue.Add((call, environ, headers));
        return EntryCompletion.AwaitInActor(call.Completion.Task);
    }


    public void Dispose() => _queue.CompleteAdding();

    /// <summary>PEP 3333: PATH_INFO is the path's bytes decoded as latin-1 (so UTF-8 paths arrive as mojibake, as specified).</summary>
    private static string PathInfo(string path)
    {
        foreach (var c in path)
        {
            if (c > 0x7F)
            {
                return Encoding.Latin1.GetString(Encoding.UTF8.GetBytes(path));
            }
        }

        return path;
    }

    private static (string Host, string Port) Split(string address)
    {
        var colon = address.LastIndexOf(':');
        return colon < 0 ? (address, "") : (address[..colon].Trim('[', ']'), address[(colon + 1)..]);
    }

    private void Work()
    {
        foreach (var (call, environ, headers) in _queue.GetConsumingEnumerable())
        {
            using (Py.GIL())
            {
                Run(call, environ, headers);

                // Keep the GIL while more calls are waiting: one acquire serves a burst.
                while (_queue.TryTake(out var next))
                {
                    Run(next.Call, next.Environ, next.Headers);
                }
            }
        }
    }

    private void Run(WsgiCall call, string[] environ, IReadOnlyDictionary<string, string> headers)
    {
        try
        {
            using var environValues = new PyTuple(Array.ConvertAll(environ, v => (PyObject)new PyString(v)));
            var items = new PyObject[headers.Count * 2];
            var i = 0;
            foreach (var (name, value) in headers)
            {
                items[i++] = new PyString(name);
                items[i++] = new PyString(value);
            }

            using var headerItems = new PyTuple(items);
            using var callObject = PyObject.FromManagedObject(call);
            _run.Invoke(_app, callObject, environValues, headerItems, _multithread, _errors).Dispose();
            call.Completion.TrySetResult();
        }
        catch (PythonException error)
        {
            // Not logged here: the request's supervisor logs the faulted entry once, with this traceback.
            call.Completion.TrySetException(new PythonApplicationException(
                "The WSGI application raised:" + Environment.NewLine + PythonRuntime.Describe(error)));
        }
        catch (Exception error)
        {
            call.Completion.TrySetException(error);
        }
    }

    /// <summary>Where <c>wsgi.errors</c> writes.</summary>
    public sealed class ErrorSink(ILogger logger)
    {
        /// <summary>Logs what the application wrote to <c>wsgi.errors</c>.</summary>
        /// <param name="text">The text.</param>
        public void Error(string text) => logger.LogWarning("wsgi.errors: {Text}", text);
    }
}
