namespace ActorSsgi;

/// <summary>
/// What the seed's <c>res: Union[SSGIHttpResponse, SSGIWebSocket]</c> has in common: the server's extensions.
/// A handler written for both protocols takes this type and tests for <see cref="ISsgiHttpResponse"/> or
/// <see cref="ISsgiWebSocket"/>.
/// </summary>
public interface ISsgiConnection
{
    /// <summary>
    /// Server extensions for this request or session. The contract allows <c>null</c> (a server that offers none);
    /// ActorSsgi always returns a dictionary.
    /// Keys are documented in <c>docs/ssgi-1.0.md</c> (for example <c>"http.protocol"</c>, <c>"ssgi.topics"</c>).
    /// </summary>
    IReadOnlyDictionary<string, object>? Extensions { get; }
}
