using ActorSsgi.Demo.Http;
using ActorSsgi.Demo.WebSockets;

namespace ActorSsgi.Demo;

/// <summary>
/// The reference application: an <see cref="ISsgiFramework"/> written against the SSGI contract only.
/// </summary>
public sealed class DemoFramework : ISsgiFramework
{
    private readonly HttpRoutes _http = new(new DemoCounters());

    /// <inheritdoc />
    public SsgiSupported GetSupported(IReadOnlyDictionary<string, string> supportedInterfaces) =>
        supportedInterfaces.ContainsKey(SsgiInterfaces.Ssgi)
            ? new SsgiSupported(
                SsgiInterfaces.Bind<ISsgiHttpResponse>(_http.Handle),
                SsgiInterfaces.Bind<ISsgiWebSocket>(WebSocketRoutes.Handle))
            : new SsgiSupported(null, null);
}
