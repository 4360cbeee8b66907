using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.Features;

namespace RawKestrel;

/// <summary>
/// RFC 6455 server handshake over Kestrel's IHttpUpgradeFeature. Without the WebSockets middleware Kestrel
/// offers no IHttpWebSocketFeature, so the handshake is done here and the upgraded opaque stream is handed
/// to the runtime's ManagedWebSocket (the same implementation the middleware ends up using).
/// </summary>
internal static class WebSocketUpgrade
{
    private const string HandshakeGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    // Same order of magnitude as ASP.NET Core's default (2 min); pings never fire during a benchmark run.
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(30);

    public static async Task RunAsync(
        IFeatureCollection features, Func<WebSocket, CancellationToken, Task> session, CancellationToken shutdown)
    {
        var upgrade = features.Get<IHttpUpgradeFeature>();
        var requestHeaders = features.GetRequiredFeature<IHttpRequestFeature>().Headers;
        var response = features.GetRequiredFeature<IHttpResponseFeature>();
        string? key = requestHeaders.SecWebSocketKey;

        if (upgrade is null || !upgrade.IsUpgradableRequest
            || !string.Equals(requestHeaders.Upgrade, "websocket", StringComparison.OrdinalIgnoreCase)
            || requestHeaders.SecWebSocketVersion != "13"
            || string.IsNullOrWhiteSpace(key))
        {
            response.StatusCode = 400;
            return;
        }

        response.StatusCode = 101;
        response.Headers.Connection = "Upgrade";
        response.Headers.Upgrade = "websocket";
        response.Headers.SecWebSocketAccept = AcceptValue(key);

        var stream = await upgrade.UpgradeAsync();
        using var socket = WebSocket.CreateFromStream(stream, new WebSocketCreationOptions
        {
            IsServer = true,
            KeepAliveInterval = KeepAlive,
        });
        try
        {
            await session(socket, shutdown);
        }
        catch (WebSocketException)
        {
            // The peer went away without a close handshake: normal under load tests, nothing to report.
        }
        catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
        {
        }
    }

    // Sec-WebSocket-Accept = base64(SHA1(key + GUID)), RFC 6455 section 4.2.2.
    private static string AcceptValue(string key) =>
        Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key.Trim() + HandshakeGuid)));
}
