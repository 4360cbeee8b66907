namespace ActorSsgi;

/// <summary>
/// The seed's <c>SSGIFramework</c>: a web framework tells the server which interface it speaks for each protocol.
/// </summary>
public interface ISsgiFramework
{
    /// <summary>
    /// The seed's <c>get_supported</c>. Called once when the server starts.
    /// </summary>
    /// <param name="supportedInterfaces">
    /// Every interface the running server really implements, name to version: always <c>"ssgi": "1.0"</c>, and each
    /// further interface whose package the server was started with (for example <c>"aspnetcore"</c>, <c>"wsgi"</c>).
    /// </param>
    /// <returns>
    /// One binding for HTTP and one for WebSockets, each naming one of <paramref name="supportedInterfaces"/> (they
    /// may differ: HTTP through one interface, WebSockets through another); a <c>null</c> binding means the server
    /// does not serve that protocol (404 for HTTP requests, 400 for upgrades).
    /// </returns>
    SsgiSupported GetSupported(IReadOnlyDictionary<string, string> supportedInterfaces);
}
