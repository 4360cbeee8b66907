namespace ActorSsgi;

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
