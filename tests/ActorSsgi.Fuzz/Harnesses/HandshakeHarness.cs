using System.Text;
using ActorSsgi.Server;
using ActorSsgi.WebSockets;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace ActorSsgi.Fuzz.Harnesses;

/// <summary>
/// <see cref="WebSocketHandshake"/> on a fuzzed request head: the input is read as Latin-1 (as Kestrel reads header
/// bytes) - a request line, then <c>Name: value</c> lines. An upgrade is offered when a Connection header names
/// "upgrade", as Kestrel does; <c>CONNECT</c> with a <c>:protocol</c> line is an RFC 8441 extended CONNECT.
/// Nothing here may throw: the handshake answers hostile input with a status, never an exception.
/// </summary>
public sealed class HandshakeHarness : IFuzzHarness
{
    // RFC 6455 section 1.3's worked example: the one accept value checked against a published answer.
    private const string RfcKey = "dGhlIHNhbXBsZSBub25jZQ==", RfcAccept = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

    /// <inheritdoc />
    public string Name => "handshake";

    /// <inheritdoc />
    public bool IsExpected(Exception exception) => false;

    /// <inheritdoc />
    public void Run(ReadOnlySpan<byte> input)
    {
        var lines = Encoding.Latin1.GetString(input).Split('\n');
        var method = lines[0].TrimEnd('\r').Split(' ')[0];
        var request = new HttpRequestFeature { Method = method, Protocol = "HTTP/1.1" };
        string? protocol = null;
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', 1 < line.Length ? 1 : 0);
            if (colon <= 0)
            {
                continue;
            }

            var (name, value) = (line[..colon], line[(colon + 1)..].Trim(' ', '\t', '\r'));
            if (name == ":protocol")
            {
                protocol = value;
            }
            else
            {
                request.Headers.Append(name, value);
            }
        }

        var features = new FeatureCollection();
        features.Set<IHttpRequestFeature>(request);
        features.Set<IHttpResponseFeature>(new HttpResponseFeature());
        features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(Stream.Null));
        var upgradable = request.Headers.Connection.Any(value => value?.Contains("upgrade", StringComparison.OrdinalIgnoreCase) == true);
        features.Set<IHttpUpgradeFeature>(new Upgrade(upgradable));
        if (method == "CONNECT" && protocol is not null)
        {
            features.Set<IHttpExtendedConnectFeature>(new ExtendedConnect(protocol));
        }

        var context = new SsgiRequestContext();
        context.Open(features);
        _ = WebSocketHandshake.IsWebSocketRequest(context);
        CheckValidate(WebSocketHandshake.Validate(context), protocol is not null && method == "CONNECT");

        // Only a validated key reaches AcceptKey, but it must not throw on anything a header can hold either.
        var key = request.Headers.SecWebSocketKey.ToString();
        CheckAccept(key, WebSocketHandshake.AcceptKey(key));
        Check(WebSocketHandshake.AcceptKey(RfcKey) == RfcAccept, "AcceptKey disagrees with RFC 6455's example");

        foreach (var offered in WebSocketHandshake.OfferedProtocols(request.Headers))
        {
            Check(offered.Length > 0 && offered.Trim() == offered && !offered.Contains(','), $"offered subprotocol '{offered}' is empty, untrimmed or holds a comma");
        }

        CheckDeflate(request.Headers);
    }

    private static void CheckValidate(HandshakeResult result, bool http2)
    {
        if (!result.IsValid)
        {
            Check(result.Status is 400 or 426 && !string.IsNullOrEmpty(result.Reason), $"a refusal without a 400/426 and a reason: {result}");
            return;
        }

        Check(result.IsHttp2 == http2 && result.Status == 0, $"accepted with the wrong shape: {result}");
        if (!http2)
        {
            var decoded = new byte[18];
            Check(result.Key is { Length: 24 } key && Convert.TryFromBase64String(key, decoded, out var length) && length == 16,
                $"accepted a key that is not a base64 16-byte nonce: '{result.Key}'");
        }
    }

    private static void CheckAccept(string key, string accept)
    {
        var decoded = new byte[21];
        Check(accept.Length == 28 && Convert.TryFromBase64String(accept, decoded, out var length) && length == 20,
            $"accept value '{accept}' is not a base64 SHA-1");
        Check(WebSocketHandshake.AcceptKey(key) == accept, "AcceptKey is not deterministic");
    }

    private static void CheckDeflate(IHeaderDictionary headers)
    {
        Check(WebSocketHandshake.NegotiateDeflate(headers, enabled: false) == (null, null), "deflate negotiated while disabled");
        var (options, response) = WebSocketHandshake.NegotiateDeflate(headers, enabled: true);
        Check((options is null) == (response is null), "deflate options without a response header, or the reverse");
        if (options is null)
        {
            return;
        }

        Check(options.ClientMaxWindowBits is >= 9 and <= 15 && options.ServerMaxWindowBits is >= 9 and <= 15,
            $"window bits out of RFC 7692's 9-15: {options.ClientMaxWindowBits}/{options.ServerMaxWindowBits}");
        // RFC 7692 section 7: an offer that repeats a parameter MUST be declined, so an answer never repeats one.
        var names = response!.Split(';', StringSplitOptions.TrimEntries).Skip(1).Select(parameter => parameter.Split('=')[0]).ToList();
        Check(names.Distinct(StringComparer.OrdinalIgnoreCase).Count() == names.Count, $"the deflate answer '{response}' repeats a parameter");
        // The answer is itself an offer the server would take, with the same parameters: what it promised is what it
        // understood.
        IHeaderDictionary echoed = new HeaderDictionary();
        echoed.SecWebSocketExtensions = response;
        var (again, againResponse) = WebSocketHandshake.NegotiateDeflate(echoed, enabled: true);
        Check(again is not null && againResponse == response
            && again.ClientMaxWindowBits == options.ClientMaxWindowBits && again.ServerMaxWindowBits == options.ServerMaxWindowBits
            && again.ClientContextTakeover == options.ClientContextTakeover && again.ServerContextTakeover == options.ServerContextTakeover,
            $"the deflate answer '{response}' does not negotiate to itself");
    }

    private static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new FuzzInvariantException(message);
        }
    }

    private sealed class Upgrade(bool upgradable) : IHttpUpgradeFeature
    {
        public bool IsUpgradableRequest => upgradable;

        public Task<Stream> UpgradeAsync() => throw new NotSupportedException("the handshake harness never upgrades");
    }

    private sealed class ExtendedConnect(string protocol) : IHttpExtendedConnectFeature
    {
        public bool IsExtendedConnect => true;

        public string? Protocol => protocol;

        public ValueTask<Stream> AcceptAsync() => throw new NotSupportedException("the handshake harness never accepts");
    }
}
