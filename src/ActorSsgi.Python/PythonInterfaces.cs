namespace ActorSsgi.Python;

/// <summary>The Python interfaces ActorSsgi implements, with the versions offered to frameworks.</summary>
public static class PythonInterfaces
{
    /// <summary>PEP 3333's <c>wsgi</c>.</summary>
    public const string Wsgi = "wsgi";

    /// <summary>The implemented WSGI version: PEP 3333's <c>1.0.1</c>.</summary>
    public const string WsgiVersion = "1.0.1";

    /// <summary>ASGI's <c>asgi</c>.</summary>
    public const string Asgi = "asgi";

    /// <summary>The implemented ASGI version (its HTTP sub-specification is 2.3).</summary>
    public const string AsgiVersion = "3.0";

    /// <summary>Granian's <c>rsgi</c>, and the implemented RSGI specification version (HTTP and WebSocket protocols).</summary>
    public const string Rsgi = "rsgi", RsgiVersion = "1.6";

    /// <summary>Every interface name <see cref="PythonFramework.Load"/> accepts.</summary>
    public static IReadOnlyList<string> All { get; } = [Wsgi, Asgi, Rsgi];
}
