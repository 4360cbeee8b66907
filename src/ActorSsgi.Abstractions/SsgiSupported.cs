namespace ActorSsgi;

/// <summary>The seed's <c>{"http": (name, handler), "websockets": (name, handler)}</c>.</summary>
/// <param name="Http">The HTTP binding, or <c>null</c> to serve no HTTP.</param>
/// <param name="WebSockets">The WebSocket binding, or <c>null</c> to serve no WebSockets.</param>
public sealed record SsgiSupported(SsgiInterfaceBinding? Http, SsgiInterfaceBinding? WebSockets);
