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
        SplitTarget(target);
        if (@interface == PythonInterfaces.Ssgi)
        {
            throw new PythonLoadException(
                $"'{target}' for interface ssgi is an SSGIFramework object: load it with PythonSsgiFramework.Load.");
        }

        if (!PythonInterfaces.All.Contains(@interface))
        {
            throw new PythonLoadException(
                $"Interface '{@interface}' is not one of {string.Join(", ", PythonInterfaces.All)}.");
        }

        PythonRuntime.Initialize(options);
        using (Py.GIL())
        {
            var current = Import(target);
            if (!current.IsCallable() && !(@interface == PythonInterfaces.Rsgi && current.HasAttr("__rsgi__")))
            {
                throw new PythonLoadException($"'{target}' is not callable, so it is no {@interface} application.");
            }

            return new PythonFramework(target!, @interface, current);
        }
    }

    /// <summary>
    /// Whether <paramref name="application"/> is an SSGI framework object (it has a callable <c>get_supported</c>), so
    /// it is served through <see cref="Ssgi.PythonSsgiFramework"/> (<c>--interface auto</c> picks <c>ssgi</c> for it).
    /// </summary>
    /// <param name="application">The loaded object; the caller holds the GIL.</param>
    /// <returns><c>true</c> for an SSGI framework.</returns>
    public static bool IsSsgiFramework(PyObject application)
    {
        ArgumentNullException.ThrowIfNull(application);
        if (!application.HasAttr("get_supported"))
        {
            return false;
        }

        using var method = application.GetAttr("get_supported");
        return method.IsCallable();
    }

    /// <summary>Imports <paramref name="target"/> and tells whether it is an SSGI framework object.</summary>
    /// <param name="target"><c>module:attribute</c>.</param>
    /// <param name="options">The interpreter's settings.</param>
    /// <returns><c>true</c> when the object has a callable <c>get_supported</c>.</returns>
    /// <exception cref="PythonLoadException">The target cannot be imported.</exception>
    public static bool IsSsgiFramework(string target, PythonOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        PythonRuntime.Initialize(options);
        using (Py.GIL())
        {
            return IsSsgiFramework(Import(target));
        }
    }

    /// <summary>Imports <c>module</c> of <paramref name="target"/> and walks <c>attribute</c>; the caller holds the GIL.</summary>
    internal static PyObject Import(string? target)
    {
        var parts = SplitTarget(target);
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

        return current;
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

    internal static string[] SplitTarget(string? target)
    {
        var parts = (target ?? "").Split(':');
        return parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0
            ? throw new PythonLoadException($"Target '{target}' is not of the form module:attribute.")
            : parts;
    }

    internal static string OneLine(PythonException error) =>
        $"{error.Type.Name}: {error.Message}".ReplaceLineEndings(" ");
}
