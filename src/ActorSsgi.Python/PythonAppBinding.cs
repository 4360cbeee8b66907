using Python.Runtime;

namespace ActorSsgi.Python;

/// <summary>The binding of a Python application object to a Python interface (<c>wsgi</c>, <c>asgi</c>).</summary>
/// <param name="InterfaceName">The interface.</param>
/// <param name="Application">The loaded application callable.</param>
public sealed record PythonAppBinding(string InterfaceName, PyObject Application) : SsgiInterfaceBinding(InterfaceName);
