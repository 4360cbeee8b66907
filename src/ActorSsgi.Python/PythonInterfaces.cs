namespace ActorSsgi.Python;

/// <summary>The Python interfaces ActorSsgi implements, with the versions offered to frameworks.</summary>
public static class PythonInterfaces
{
    /// <summary>PEP 3333's <c>wsgi</c>.</summary>
    public const string Wsgi = "wsgi";

    /// <summary>The implemented WSGI version: PEP 3333's <c>1.0.1</c>.</summary>
    public const string WsgiVersion = "1.0.1";

    /// <summary>Every interface name <see cref="PythonFramework.Load"/> accepts.</summary>
    public static IReadOnlyList<string> All { get; } = [Wsgi];
}
