using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using ActorSsgi.Server;
using Microsoft.AspNetCore.Http.Features;

namespace ActorSsgi.WebSockets;

/// <summary>
/// RFC 6455 section 4.2 on Kestrel's features, without the ASP.NET Core middleware: recognises an upgrade,
/// validates it, and computes what the 101 answer needs. HTTP/2 (RFC 8441) arrives as an extended CONNECT.
/// </summary>
internal static class WebSocketHandshake
{
    private const string AcceptGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    // The parameters RFC 7692 section 7.1 defines for permessage-deflate.
    private static readonly string[] DeflateParameters =
        ["server_no_context_takeover", "client_no_context_takeover", "server_max_window_bits", "client_max_window_bits"];

    /// <summary>Is this request asking to become a WebSocket at all? Anything else is a plain HTTP request.</summary>
    /// <remarks>On every request: the method is compared first (interned strings), and the upgrade feature comes
    /// from the connection's cache (<see cref="Server.SsgiRequestContext.Upgrade"/>), so a plain GET or POST costs
    /// no feature lookup; only an HTTP/2 CONNECT looks one up.</remarks>
    public static bool IsWebSocketRequest(SsgiRequestContext context)
    {
        var request = context.Request;
        var method = request.Method;
        if (ReferenceEquals(method, HttpMethods.Get) || method == "GET")
        {
            return context.Upgrade is { IsUpgradableRequest: true }
                && HasToken(request.Headers.Upgrade, "websocket");
        }

        return (ReferenceEquals(method, HttpMethods.Connect) || method == "CONNECT")
            && context.Features.Get<IHttpExtendedConnectFeature>() is { IsExtendedConnect: true } connect
            && string.Equals(connect.Protocol, "websocket", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Validates the handshake; on failure, the status and reason to answer with.</summary>
    public static HandshakeResult Validate(SsgiRequestContext context)
    {
        var headers = context.Request.Headers;
        var http2 = context.Features.Get<IHttpExtendedConnectFeature>() is { IsExtendedConnect: true };
        if (!string.Equals(headers.SecWebSocketVersion, "13", StringComparison.Ordinal))
        {
            return HandshakeResult.Fail(426, "Sec-WebSocket-Version must be 13");
        }

        string? key = null;
        if (!http2)
        {
            // RFC 8441 has no key; RFC 6455 needs a base64 nonce of 16 bytes.
            key = headers.SecWebSocketKey;
            Span<byte> nonce = stackalloc byte[16];
            if (string.IsNullOrEmpty(key) || !Convert.TryFromBase64String(key, nonce, out var length) || length != 16 || key.Length != 24)
            {
                return HandshakeResult.Fail(400, "Sec-WebSocket-Key is missing or is not a base64 16-byte nonce");
            }

            // "Connection: Upgrade" needs no check here: without it Kestrel does not offer the upgrade at all,
            // and the request goes to the HTTP entry.
        }

        return HandshakeResult.Ok(key, http2);
    }

    /// <summary>The Sec-WebSocket-Accept value for <paramref name="key"/>.</summary>
    public static string AcceptKey(string key)
    {
        Span<byte> hash = stackalloc byte[20];
        SHA1.HashData(Encoding.ASCII.GetBytes(key + AcceptGuid), hash);
        return Convert.ToBase64String(hash);
    }

    /// <summary>The subprotocols the client offered, in its order of preference.</summary>
    public static string[] OfferedProtocols(IHeaderDictionary headers) =>
        headers.SecWebSocketProtocol.ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>
    /// Negotiates permessage-deflate (RFC 7692) when the server allows it and the client offers it: the first offer
    /// whose parameters we can honour wins. Returns the options and the response header value, or nulls.
    /// </summary>
    public static (WebSocketDeflateOptions? Options, string? Response) NegotiateDeflate(IHeaderDictionary headers, bool enabled)
    {
        if (!enabled)
        {
            return (null, null);
        }

        foreach (var offer in headers.SecWebSocketExtensions.ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = offer.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (parts.Length == 0 || !parts[0].Equals("permessage-deflate", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var options = new WebSocketDeflateOptions();
            var response = new StringBuilder("permessage-deflate");
            var acceptable = true;
            // RFC 7692 section 7: an offer that names a parameter twice MUST be declined (so an answer never repeats
            // one); four bits, one per parameter the extension defines.
            var seen = 0;
            foreach (var parameter in parts.Skip(1))
            {
                var (name, value) = parameter.IndexOf('=') is var eq and > 0
                    ? (parameter[..eq].Trim(), parameter[(eq + 1)..].Trim().Trim('"'))
                    : (parameter, (string?)null);
                var lowered = name.ToLowerInvariant();
                var bit = Array.IndexOf(DeflateParameters, lowered);
                if (bit >= 0 && (seen & (1 << bit)) != 0)
                {
                    acceptable = false;
                    break;
                }

                seen |= bit >= 0 ? 1 << bit : 0;
                switch (lowered)
                {
                    // The two takeover parameters have no value (RFC 7692 sections 7.1.1.1 and 7.1.1.2).
                    case "server_no_context_takeover" when value is null:
                        options.ServerContextTakeover = false;
                        response.Append("; server_no_context_takeover");
                        break;
                    case "client_no_context_takeover" when value is null:
                        options.ClientContextTakeover = false;
                        response.Append("; client_no_context_takeover");
                        break;
                    case "server_max_window_bits" when int.TryParse(value, out var bits) && bits is >= 9 and <= 15:
                        options.ServerMaxWindowBits = bits;
                        response.Append("; server_max_window_bits=").Append(bits);
                        break;
                    case "client_max_window_bits" when value is null:
                        break;
                    case "client_max_window_bits" when int.TryParse(value, out var bits) && bits is >= 9 and <= 15:
                        options.ClientMaxWindowBits = bits;
                        response.Append("; client_max_window_bits=").Append(bits);
                        break;
                    default:
                        acceptable = false;
                        break;
                }
            }

            if (acceptable)
            {
                return (options, response.ToString());
            }
        }

        return (null, null);
    }

    private static bool HasToken(Microsoft.Extensions.Primitives.StringValues values, string token)
    {
        foreach (var value in values)
        {
            foreach (var part in (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (part.Equals(token, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }

        return false;
    }
}

/// <summary>The outcome of <see cref="WebSocketHandshake.Validate"/>.</summary>
internal readonly record struct HandshakeResult(bool IsValid, int Status, string? Reason, string? Key, bool IsHttp2)
{
    public static HandshakeResult Ok(string? key, bool http2) => new(true, 0, null, key, http2);

    public static HandshakeResult Fail(int status, string reason) => new(false, status, reason, null, false);
}
