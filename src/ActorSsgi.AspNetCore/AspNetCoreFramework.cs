namespace ActorSsgi.AspNetCore;

/// <summary>
/// The framework of a web host that registers none: HTTP and WebSockets both through the host's pipeline, so an
/// existing ASP.NET Core application runs unchanged (its WebSockets through <c>UseWebSockets</c> and
/// <c>HttpContext.WebSockets</c>).
/// </summary>
public sealed class AspNetCoreFramework : ISsgiFramework
{
    /// <summary>The one instance.</summary>
    public static AspNetCoreFramework Instance { get; } = new();

    private AspNetCoreFramework()
    {
    }

    /// <inheritdoc />
    public SsgiSupported GetSupported(IReadOnlyDictionary<string, string> supportedInterfaces) =>
        new(AspNetCoreInterface.Pipeline, AspNetCoreInterface.Pipeline);
}
