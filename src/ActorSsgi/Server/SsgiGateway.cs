using ActorSsgi.Interfaces;
using Microsoft.Extensions.Logging;

namespace ActorSsgi.Server;

/// <summary>
/// The bindings negotiated once at start through <see cref="ISsgiFramework.GetSupported"/>: which interface serves
/// HTTP and which serves WebSockets (either may be absent), resolved into what the actors run. Nothing here is
/// looked up per request.
/// </summary>
public sealed class SsgiGateway
{
    private SsgiGateway(IReadOnlyDictionary<string, string> offered)
    {
        Offered = offered;
    }

    /// <summary>What this server offered to the framework: every interface it was started with, <c>ssgi</c> first.</summary>
    public IReadOnlyDictionary<string, string> Offered { get; }

    /// <summary>The interface that serves HTTP, or <c>null</c> when HTTP is not served.</summary>
    public string? HttpInterface { get; private set; }

    /// <summary>The interface that serves WebSockets, or <c>null</c> when upgrades are not served.</summary>
    public string? WebSocketInterface { get; private set; }

    /// <summary>The HTTP entry, or <c>null</c> when HTTP is not served (404) or served by <see cref="HostedHttp"/>.</summary>
    public SsgiHandler<ISsgiHttpResponse>? Http { get; private set; }

    /// <summary>The WebSocket entry, or <c>null</c> when upgrades are not served (400) or go the HTTP path.</summary>
    public SsgiHandler<ISsgiWebSocket>? WebSockets { get; private set; }

    /// <summary>An application served at Kestrel's feature level (ASP.NET Core), instead of <see cref="Http"/>.</summary>
    internal IHostedApplication? HostedHttp { get; private set; }

    /// <summary>Upgrades are served by the HTTP application itself (ASP.NET Core's <c>HttpContext.WebSockets</c>).</summary>
    internal bool WebSocketsThroughHttp { get; private set; }

    /// <summary>Asks <paramref name="framework"/> what it supports, offering <c>ssgi</c> only.</summary>
    /// <param name="framework">The application.</param>
    /// <param name="logger">Where the negotiated bindings are logged.</param>
    /// <returns>The gateway.</returns>
    /// <exception cref="InvalidOperationException">The framework chose an interface the server did not offer.</exception>
    public static SsgiGateway Negotiate(ISsgiFramework framework, ILogger? logger = null) =>
        Negotiate(framework, [], logger);

    /// <summary>
    /// Asks <paramref name="framework"/> what it supports, offering <c>ssgi</c> and <paramref name="interfaces"/>,
    /// and resolves its answer.
    /// </summary>
    /// <param name="framework">The application.</param>
    /// <param name="interfaces">The interfaces besides <c>ssgi</c> this server was started with.</param>
    /// <param name="logger">Where the negotiated bindings are logged.</param>
    /// <returns>The gateway.</returns>
    /// <exception cref="InvalidOperationException">
    /// The framework returned <c>null</c>, chose an interface the server did not offer (the message names the offered
    /// ones), chose one for a protocol it does not serve, or returned a binding of the wrong type.
    /// </exception>
    public static SsgiGateway Negotiate(ISsgiFramework framework, IEnumerable<SsgiInterface> interfaces, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(framework);
        ArgumentNullException.ThrowIfNull(interfaces);
        var byName = new Dictionary<string, SsgiInterface>(StringComparer.Ordinal) { [SsgiInterfaces.Ssgi] = SsgiNativeInterface.Instance };
        foreach (var candidate in interfaces)
        {
            if (!byName.TryAdd(candidate.Name, candidate))
            {
                throw new InvalidOperationException($"Interface '{candidate.Name}' is registered twice.");
            }
        }

        // Insertion order is kept: ssgi first, then the packages in the order they were added.
        var offered = byName.Values.ToDictionary(i => i.Name, i => i.Version, StringComparer.Ordinal);
        var gateway = new SsgiGateway(offered);
        var supported = framework.GetSupported(offered)
            ?? throw new InvalidOperationException($"{framework.GetType().Name}.GetSupported returned null.");

        if (supported.Http is { } http)
        {
            var iface = Find(byName, http, "http", i => i.ServesHttp);
            gateway.HttpInterface = iface.Name;
            gateway.HostedHttp = iface.BindHostedHttp(http);
            gateway.Http = gateway.HostedHttp is null ? iface.BindHttp(http) : null;
        }

        if (supported.WebSockets is { } ws)
        {
            var iface = Find(byName, ws, "websockets", i => i.ServesWebSockets);
            gateway.WebSocketInterface = iface.Name;
            if (iface.ServesWebSocketsThroughHttp)
            {
                if (supported.Http?.InterfaceName != iface.Name)
                {
                    throw new InvalidOperationException(
                        $"Interface '{iface.Name}' serves WebSockets through its HTTP application, so it must serve http too " +
                        $"(http is bound to '{supported.Http?.InterfaceName ?? "nothing"}').");
                }

                gateway.WebSocketsThroughHttp = true;
            }
            else
            {
                gateway.WebSockets = iface.BindWebSockets(ws);
            }
        }

        logger?.LogInformation(
            "SSGI negotiated: http={Http}, websockets={WebSockets} (offered: {Offered})",
            gateway.HttpInterface ?? "not served",
            gateway.WebSocketInterface ?? "not served",
            Describe(offered));
        return gateway;
    }

    private static SsgiInterface Find(Dictionary<string, SsgiInterface> byName, SsgiInterfaceBinding binding, string protocol, Func<SsgiInterface, bool> serves)
    {
        if (!byName.TryGetValue(binding.InterfaceName ?? "", out var iface))
        {
            throw new InvalidOperationException(
                $"The framework asked for interface '{binding.InterfaceName}' for {protocol}, but the server offers only " +
                Describe(byName.Values.ToDictionary(i => i.Name, i => i.Version)) + ".");
        }

        if (!serves(iface))
        {
            throw new InvalidOperationException(
                $"The framework asked for interface '{iface.Name}' for {protocol}, but '{iface.Name}' does not serve {protocol}.");
        }

        return iface;
    }

    private static string Describe(IReadOnlyDictionary<string, string> offered) =>
        string.Join(", ", offered.Select(i => $"{i.Key} {i.Value}"));
}
