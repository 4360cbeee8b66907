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
    /// What the server really implements, name to version: ActorSsgi offers <c>{"ssgi": "1.0"}</c>.
    /// </param>
    /// <returns>
    /// One binding for HTTP and one for WebSockets; a <c>null</c> binding means the server does not serve that
    /// protocol (404 for HTTP requests, 400 for upgrades).
    /// </returns>
    SsgiSupported GetSupported(IReadOnlyDictionary<string, string> supportedInterfaces);
}

/// <summary>The seed's <c>{"http": (name, handler), "websockets": (name, handler)}</c>.</summary>
/// <param name="Http">The HTTP binding, or <c>null</c> to serve no HTTP.</param>
/// <param name="WebSockets">The WebSocket binding, or <c>null</c> to serve no WebSockets.</param>
public sealed record SsgiSupported(SsgiBinding<ISsgiHttpResponse>? Http, SsgiBinding<ISsgiWebSocket>? WebSockets);

/// <summary>The seed's <c>tuple(interface_name, interface_handler)</c>.</summary>
/// <typeparam name="TResponse">The response type of the protocol.</typeparam>
/// <param name="InterfaceName">The interface, one the server offered (<c>"ssgi"</c>).</param>
/// <param name="Handler">The entry.</param>
public sealed record SsgiBinding<TResponse>(string InterfaceName, SsgiHandler<TResponse> Handler)
    where TResponse : ISsgiConnection;

/// <summary>Names and versions of the interfaces.</summary>
public static class SsgiInterfaces
{
    /// <summary>The interface name <c>"ssgi"</c>.</summary>
    public const string Ssgi = "ssgi";

    /// <summary>The version of SSGI this contract implements: <c>"1.0"</c>.</summary>
    public const string SsgiVersion = "1.0";

    /// <summary>An SSGI binding for <paramref name="handler"/>.</summary>
    /// <typeparam name="TResponse">The protocol's response type.</typeparam>
    /// <param name="handler">The entry.</param>
    /// <returns>The binding.</returns>
    public static SsgiBinding<TResponse> Bind<TResponse>(SsgiHandler<TResponse> handler)
        where TResponse : ISsgiConnection => new(Ssgi, handler);
}
