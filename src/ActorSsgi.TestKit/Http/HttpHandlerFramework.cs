namespace ActorSsgi.TestKit.Http;

/// <summary>A framework that serves HTTP with one bare handler and no WebSockets.</summary>
internal sealed class HttpHandlerFramework(SsgiHandler<ISsgiHttpResponse> handler) : ISsgiFramework
{
    public SsgiSupported GetSupported(IReadOnlyDictionary<string, string> supportedInterfaces) =>
        new(SsgiInterfaces.Bind(handler), null);
}
