using System.Net;
using System.Net.WebSockets;
using ActorSsgi.Hosting;
using ActorSsgi.Server;
using ActorSsgi.Topics;
using ActorSsgi.WebSockets;
using Akka.Actor;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ActorSsgi.TestKit.WebSockets;

/// <summary>
/// Drives an application's SSGI WebSocket handler inside a test's actor system, without sockets: each
/// <see cref="ConnectAsync"/> runs the server's real session actor, and the test talks to it through a real client
/// <see cref="WebSocket"/> over an in-memory connection. Works with any Akka.TestKit (pass its <c>Sys</c>).
/// </summary>
/// <example>
/// <code>
/// var kit = await SsgiWebSocketTestKit.CreateAsync(Sys, new MyFramework());
/// await using var session = await kit.ConnectAsync("/ws/echo");
/// await session.SendTextAsync("hi");
/// Assert.Equal("hi", (await session.ReceiveAsync()).Text);
/// </code>
/// </example>
public sealed class SsgiWebSocketTestKit
{
    private readonly WebSocketGateway _gateway;

    private SsgiWebSocketTestKit(WebSocketGateway gateway) => _gateway = gateway;

    /// <summary>Open sessions (accepted or pending) of this kit.</summary>
    public int OpenSessions => _gateway.Count;

    /// <summary>Negotiates with <paramref name="framework"/> and starts the session supervisor in <paramref name="system"/>.</summary>
    /// <param name="system">The test's actor system.</param>
    /// <param name="framework">The application under test.</param>
    /// <param name="options">WebSocket limits; the server's defaults when <c>null</c>.</param>
    /// <param name="loggerFactory">Where the server logs (supervisor decisions); none when <c>null</c>.</param>
    /// <returns>The kit.</returns>
    public static async Task<SsgiWebSocketTestKit> CreateAsync(ActorSystem system, ISsgiFramework framework, SsgiWebSocketOptions? options = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(system);
        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("ActorSsgi.WebSockets");
        Http.Transport.RequestDispatcher.EnsureRegistered(system, new ActorSsgiOptions());
        var gateway = SsgiGateway.Negotiate(framework, logger);
        var webSockets = await WebSocketGateway.CreateAsync(system, gateway, options ?? new SsgiWebSocketOptions(), new LocalTopicBroker(), logger, SsgiServer.DispatcherId).ConfigureAwait(false);
        return new SsgiWebSocketTestKit(webSockets);
    }

    /// <summary>
    /// Sends an upgrade request for <paramref name="path"/> and waits until the handler accepted or rejected it.
    /// </summary>
    /// <param name="path">The request path.</param>
    /// <param name="queryString">The raw query string, without <c>?</c>.</param>
    /// <param name="headers">Extra request headers.</param>
    /// <param name="subProtocols">Subprotocols the client offers, in order.</param>
    /// <param name="timeout">How long the handler may take to decide (5 s by default).</param>
    /// <returns>The session: accepted (with a client socket) or rejected (with the HTTP answer).</returns>
    public async Task<SyntheticWebSocket> ConnectAsync(string path, string queryString = "", IEnumerable<KeyValuePair<string, string>>? headers = null, IReadOnlyList<string>? subProtocols = null, TimeSpan? timeout = null)
    {
        var (serverEnd, clientEnd) = DuplexStream.CreatePair();
        var upgrade = new UpgradeFeatures(serverEnd);
        var request = new HttpRequestFeature
        {
            Method = "GET",
            Path = path,
            QueryString = queryString.Length == 0 ? "" : "?" + queryString,
            Protocol = "HTTP/1.1",
            Scheme = "http",
        };
        request.Headers.Host = "localhost";
        request.Headers.Upgrade = "websocket";
        request.Headers.Connection = "Upgrade";
        request.Headers.SecWebSocketVersion = "13";
        request.Headers.SecWebSocketKey = Convert.ToBase64String(Guid.NewGuid().ToByteArray());
        if (subProtocols is { Count: > 0 })
        {
            request.Headers.SecWebSocketProtocol = string.Join(", ", subProtocols);
        }

        foreach (var (name, value) in headers ?? [])
        {
            request.Headers.Append(name, value);
        }

        var features = new FeatureCollection();
        features.Set<IHttpRequestFeature>(request);
        features.Set<IHttpUpgradeFeature>(upgrade);
        features.Set<IHttpResponseFeature>(upgrade);
        features.Set<IHttpResponseBodyFeature>(upgrade);
        features.Set<IHttpConnectionFeature>(new HttpConnectionFeature
        {
            ConnectionId = Guid.NewGuid().ToString("N"),
            LocalIpAddress = IPAddress.Loopback,
            LocalPort = 80,
            RemoteIpAddress = IPAddress.Loopback,
            RemotePort = 50000,
        });

        var context = new SsgiRequestContext();
        context.Open(features);
        var ended = _gateway.HandleAsync(context);
        var decided = await Task.WhenAny(upgrade.Upgraded.Task, ended).WaitAsync(timeout ?? TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        if (decided == ended || !upgrade.Upgraded.Task.IsCompleted)
        {
            await clientEnd.DisposeAsync().ConfigureAwait(false);
            return SyntheticWebSocket.Rejected(upgrade.StatusCode, upgrade.Headers, upgrade.BodyBytes(), ended);
        }

        var protocol = upgrade.Headers.SecWebSocketProtocol.ToString();
        var client = WebSocket.CreateFromStream(clientEnd, new WebSocketCreationOptions
        {
            IsServer = false,
            SubProtocol = protocol.Length == 0 ? null : protocol,
            KeepAliveInterval = Timeout.InfiniteTimeSpan,
        });
        return SyntheticWebSocket.Accepted(upgrade.StatusCode, upgrade.Headers, client, clientEnd, ended);
    }
}
