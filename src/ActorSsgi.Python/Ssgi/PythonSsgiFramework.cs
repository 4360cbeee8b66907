using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Python.Runtime;

namespace ActorSsgi.Python.Ssgi;

/// <summary>
/// A Python object with the seed's <c>get_supported(supported_interfaces)</c> (an <c>ssgi.SSGIFramework</c>) as the
/// server's framework. Its answer is turned into bindings: a <c>("ssgi", handler)</c> is served by the Python-ssgi
/// gateway through the server's own <c>ssgi</c> interface; <c>("wsgi", app)</c> or <c>("asgi", app)</c> bind that
/// interface, so one protocol may use ssgi and the other a classic interface.
/// </summary>
public sealed class PythonSsgiFramework : ISsgiFramework, IDisposable
{
    private PythonSsgiGateway? _gateway;

    private PythonSsgiFramework(string target, PyObject framework)
    {
        Target = target;
        Framework = framework;
    }

    /// <summary>The <c>module:attribute</c> it was loaded from.</summary>
    public string Target { get; }

    /// <summary>The framework object.</summary>
    public PyObject Framework { get; }

    /// <summary>Where failures of callbacks that outlive their request (<c>on_aborted</c>) are logged.</summary>
    public ILogger Logger { get; set; } = NullLogger.Instance;

    /// <summary>The offered interfaces as the framework received them, once <see cref="GetSupported"/> ran.</summary>
    public IReadOnlyDictionary<string, string>? Offered { get; private set; }

    /// <summary>Starts the interpreter if needed, imports <c>module</c> and looks up <c>attribute</c>.</summary>
    /// <param name="target"><c>module:attribute</c>.</param>
    /// <param name="options">The interpreter's settings.</param>
    /// <returns>The framework.</returns>
    /// <exception cref="PythonLoadException">
    /// A one-line reason: the target is malformed, libpython is missing, the module fails to import, the attribute is
    /// missing, or it has no callable <c>get_supported</c>.
    /// </exception>
    public static PythonSsgiFramework Load(string target, PythonOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        PythonFramework.SplitTarget(target);
        PythonRuntime.Initialize(options);
        using (Py.GIL())
        {
            var framework = PythonFramework.Import(target);
            if (!PythonFramework.IsSsgiFramework(framework))
            {
                throw new PythonLoadException($"'{target}' has no get_supported method, so it is no ssgi framework.");
            }

            return new PythonSsgiFramework(target, framework);
        }
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">
    /// <c>get_supported</c> raised or returned something else than the seed's dict, or named an interface the server
    /// does not offer (the message names the offered ones).
    /// </exception>
    public SsgiSupported GetSupported(IReadOnlyDictionary<string, string> supportedInterfaces)
    {
        ArgumentNullException.ThrowIfNull(supportedInterfaces);
        Offered = supportedInterfaces;
        (string Name, PyObject Handler)? http, webSockets;
        using (Py.GIL())
        {
            using var offered = new PyDict();
            foreach (var (name, version) in supportedInterfaces)
            {
                offered[name] = new PyString(version);
            }

            using var module = Py.Import("actorssgi_ssgi");
            PyObject answer;
            try
            {
                answer = module.InvokeMethod("get_supported", Framework, offered);
            }
            catch (PythonException error)
            {
                throw new InvalidOperationException($"'{Target}'.get_supported failed: {PythonRuntime.Describe(error)}", error);
            }

            http = Binding(answer[0]);
            webSockets = Binding(answer[1]);
        }

        foreach (var (protocol, binding) in new[] { ("http", http), ("websockets", webSockets) })
        {
            if (binding is { } chosen && !supportedInterfaces.ContainsKey(chosen.Name))
            {
                throw new InvalidOperationException(
                    $"'{Target}'.get_supported asked for interface '{chosen.Name}' for {protocol}, but the server offers only " +
                    string.Join(", ", supportedInterfaces.Select(i => $"{i.Key} {i.Value}")) + ".");
            }
        }

        var httpSsgi = http is { Name: SsgiInterfaces.Ssgi } ? http.Value.Handler : null;
        var wsSsgi = webSockets is { Name: SsgiInterfaces.Ssgi } ? webSockets.Value.Handler : null;
        if (httpSsgi is not null || wsSsgi is not null)
        {
            _gateway?.Dispose();
            _gateway = new PythonSsgiGateway(httpSsgi, wsSsgi, Logger);
        }

        return new SsgiSupported(
            http is not { } h ? null
                : h.Name == SsgiInterfaces.Ssgi ? SsgiInterfaces.Bind<ISsgiHttpResponse>(_gateway!.HandleHttp)
                : new PythonAppBinding(h.Name, h.Handler),
            webSockets is not { } w ? null
                : w.Name == SsgiInterfaces.Ssgi ? SsgiInterfaces.Bind<ISsgiWebSocket>(_gateway!.HandleWebSocket)
                : new PythonAppBinding(w.Name, w.Handler));
    }

    /// <summary>Stops the Python-ssgi event loop.</summary>
    public void Dispose() => _gateway?.Dispose();

    // The caller holds the GIL; actorssgi_ssgi.get_supported has checked the shape.
    private static (string Name, PyObject Handler)? Binding(PyObject binding) =>
        binding.IsNone() ? null : (binding[0].As<string>(), binding[1]);
}
