namespace ActorSsgi.Tests.WebSockets;

/// <summary>An <see cref="ISsgiFramework"/> that serves WebSockets with one delegate and no HTTP.</summary>
internal sealed class WebSocketOnlyFramework(SsgiHandler<ISsgiWebSocket> handler) : ISsgiFramework
{
    public SsgiSupported GetSupported(IReadOnlyDictionary<string, string> supportedInterfaces) =>
        new(null, SsgiInterfaces.Bind(handler));
}
