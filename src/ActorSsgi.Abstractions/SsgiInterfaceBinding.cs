namespace ActorSsgi;

/// <summary>
/// The seed's <c>tuple(interface_name, interface_handler)</c> for any interface. Each interface has its own binding
/// type, defined beside the handler type it carries: <see cref="SsgiBinding{TResponse}"/> here for <c>ssgi</c>,
/// others in the package that implements them (ASP.NET Core's <c>RequestDelegate</c> in ActorSsgi.AspNetCore), so
/// this contract needs no package of theirs.
/// </summary>
/// <param name="InterfaceName">The interface, one the server offered to <see cref="ISsgiFramework.GetSupported"/>.</param>
public abstract record SsgiInterfaceBinding(string InterfaceName);

/// <summary>The binding of an <c>ssgi</c> entry to one protocol.</summary>
/// <typeparam name="TResponse">
/// The protocol's response type: <see cref="ISsgiHttpResponse"/>, <see cref="ISsgiWebSocket"/>, or
/// <see cref="ISsgiConnection"/> for one entry that serves both, as the seed's single function does.
/// </typeparam>
/// <param name="InterfaceName">The interface, <c>"ssgi"</c>.</param>
/// <param name="Handler">The entry.</param>
public sealed record SsgiBinding<TResponse>(string InterfaceName, SsgiHandler<TResponse> Handler)
    : SsgiInterfaceBinding(InterfaceName)
    where TResponse : ISsgiConnection;
