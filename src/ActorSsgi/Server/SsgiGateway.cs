using Microsoft.Extensions.Logging;

namespace ActorSsgi.Server;

/// <summary>
/// The bindings negotiated once at start through <see cref="ISsgiFramework.GetSupported"/>: which handler serves
/// HTTP and which serves WebSockets (either may be absent).
/// </summary>
public sealed class SsgiGateway
{
    /// <summary>What ActorSsgi offers to frameworks: only what it really implements.</summary>
    public static readonly IReadOnlyDictionary<string, string> OfferedInterfaces =
        new Dictionary<string, string> { [SsgiInterfaces.Ssgi] = SsgiInterfaces.SsgiVersion };

    private SsgiGateway(SsgiHandler<ISsgiHttpResponse>? http, SsgiHandler<ISsgiWebSocket>? webSockets)
    {
        Http = http;
        WebSockets = webSockets;
    }

    /// <summary>The HTTP entry, or <c>null</c> when HTTP is not served (404).</summary>
    public SsgiHandler<ISsgiHttpResponse>? Http { get; }

    /// <summary>The WebSocket entry, or <c>null</c> when upgrades are not served (400).</summary>
    public SsgiHandler<ISsgiWebSocket>? WebSockets { get; }

    /// <summary>Asks <paramref name="framework"/> what it supports and checks its answer.</summary>
    /// <param name="framework">The application.</param>
    /// <param name="logger">Where the negotiated bindings are logged.</param>
    /// <returns>The gateway.</returns>
    /// <exception cref="InvalidOperationException">The framework chose an interface the server did not offer.</exception>
    public static SsgiGateway Negotiate(ISsgiFramework framework, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(framework);
        var supported = framework.GetSupported(OfferedInterfaces)
            ?? throw new InvalidOperationException($"{framework.GetType().Name}.GetSupported returned null.");
        Check(supported.Http?.InterfaceName, "http");
        Check(supported.WebSockets?.InterfaceName, "websockets");
        logger?.LogInformation(
            "SSGI negotiated: http={Http}, websockets={WebSockets}",
            supported.Http?.InterfaceName ?? "not served",
            supported.WebSockets?.InterfaceName ?? "not served");
        return new SsgiGateway(supported.Http?.Handler, supported.WebSockets?.Handler);
    }

    private static void Check(string? interfaceName, string protocol)
    {
        if (interfaceName is not null && !OfferedInterfaces.ContainsKey(interfaceName))
        {
            throw new InvalidOperationException(
                $"The framework asked for interface '{interfaceName}' for {protocol}, but the server offers only " +
                string.Join(", ", OfferedInterfaces.Select(i => $"{i.Key} {i.Value}")) + ".");
        }
    }
}
