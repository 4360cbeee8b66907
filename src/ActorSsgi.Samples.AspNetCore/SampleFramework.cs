using ActorSsgi.AspNetCore;

namespace ActorSsgi.Samples.AspNetCore;

/// <summary>
/// The seed's mix: "one interface for http and another for websockets". HTTP goes through the ASP.NET Core
/// pipeline, WebSockets through SSGI, where each session is an actor with topics and cluster reach.
/// </summary>
public sealed class SampleFramework : ISsgiFramework
{
    /// <inheritdoc />
    public SsgiSupported GetSupported(IReadOnlyDictionary<string, string> supportedInterfaces) => new(
        Http: AspNetCoreInterface.Pipeline,
        WebSockets: SsgiInterfaces.Bind<ISsgiWebSocket>(WebSocketRoutes.Handle));
}
