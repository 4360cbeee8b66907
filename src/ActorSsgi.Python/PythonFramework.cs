using Python.Runtime;

namespace ActorSsgi.Python;

/// <summary>
/// A Python application as an SSGI framework: the object named by <c>module:attribute</c>, bound to one Python
/// interface for HTTP (and for WebSockets where the interface has them).
/// </summary>
public sealed class PythonFramework : ISsgiFramework
{
    private PythonFramework(string target, string interfaceName, PyObject application)
    {
        Target = target;
        InterfaceName = interfaceName;
        Application = application;
    }

    /// <summary>The <c>module:attribute</c> it was loaded from.</summary>
    public string Target { get; }

    /// <summary>The interface it is served through.</summary>
    public string InterfaceName { get; }

    /// <summary>The application object.</summary>
    public PyObject Application { get; }

    /// <summary>
    /// Starts the interpreter if needed (<see cref="PythonRuntime.Initialize"/>), imports <c>module</c> and looks up
    /// <c>attribute</c> (dotted: <c>app.wsgi_app</c>).
    /// </summary>
    /// <param name="target"><c>module:attribute</c>, as uvicorn and gunicorn take it.</param>
    /// <param name="interface">One of <see cref="PythonInterfaces.All"/>.</param>
    /// <param name="options">The interpreter's settings.</param>
    /// <returns>The framework.</returns>
    /// <exception cref="PythonLoadException">
    /// A one-line reason: the target is malformed, the interface is unknown, libpython is missing, the module fails
    /// to import, or the attribute is missing or not callable.
    /// </exception>
    public static PythonFramework Load(string target, string @interface, PythonOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var parts = (target ?? "").Split(':');
        if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
        {
            throw new PythonLoadException($"Target '{target}' is not of the form module:attribute.");
        }

        if (!PythonInterfaces.All.Contains(@interface))
        {
            throw new PythonLoadException(
                $"Interface '{@interface}' is not one of {string.Join(", ", PythonInterfaces.All)}.");
        }

        PythonRuntime.Initialize(options);
        using (Py.GIL())
        {
            PyObject current;
            try
            {
                current = Py.Import(parts[0]);
            }
            catch (PythonException error)
            {
                throw new PythonLoadException($"Could not import module '{parts[0]}': {OneLine(error)}", error);
            }

            foreach (var name in parts[1].Split('.'))
            {
                if (!current.HasAttr(name))
                {
                    throw new PythonLoadException($"Module '{parts[0]}' has no attribute '{parts[1]}'.");
                }

                current = current.GetAttr(name);
            }

            if (!current.IsCallable() && !(@interface == PythonInterfaces.Rsgi && current.HasAttr("__rsgi__")))
            {
                throw new PythonLoadException($"'{target}' is not callable, so it is no {@interface} application.");
            }

            return new PythonFramework(target!, @interface, current);
        }
    }

    /// <inheritdoc />
    public SsgiSupported GetSupported(IReadOnlyDictionary<string, string> supportedInterfaces)
    {
        ArgumentNullException.ThrowIfNull(supportedInterfaces);
        if (!supportedInterfaces.ContainsKey(InterfaceName))
        {
            throw new InvalidOperationException(
                $"'{Target}' is a {InterfaceName} application, but the server offers only {string.Join(", ", supportedInterfaces.Keys)}.");
        }

        var binding = new PythonAppBinding(InterfaceName, Application);
        // WSGI has no WebSockets; ASGI and RSGI serve both protocols through the same binding.
        return new SsgiSupported(binding, InterfaceName is PythonInterfaces.Asgi or PythonInterfaces.Rsgi ? binding : null);
    }

    private static string OneLine(PythonException error) =>
        $"{error.Type.Name}: {error.Message}".ReplaceLineEndings(" ");
}
