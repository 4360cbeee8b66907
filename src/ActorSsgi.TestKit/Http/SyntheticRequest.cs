using System.Net;
using System.Text;
using ActorSsgi.TestKit.Http.Transport;
using Microsoft.AspNetCore.Http;

namespace ActorSsgi.TestKit.Http;

/// <summary>
/// One HTTP request for <see cref="SsgiHttpTestKit.Send"/>: the request line, headers and body a client would send,
/// built fluently. Once sent, the same object is the client's side of the connection: it feeds body chunks over
/// time (<see cref="WriteBodyAsync(ReadOnlyMemory{byte})"/>, <see cref="CompleteBody"/>) and can drop the
/// connection at any moment (<see cref="Abort"/>).
/// </summary>
/// <remarks>A request can be sent once. Its body methods are for one writer at a time.</remarks>
/// <example>
/// <code>
/// var request = SyntheticRequest.Post("/upload").WithHeader("content-type", "text/plain").WithStreamingBody();
/// var response = kit.Send(request);
/// await request.WriteBodyAsync("part 1");
/// await request.WriteBodyAsync("part 2");
/// request.CompleteBody();
/// await response.WaitAsync();
/// </code>
/// </example>
public sealed partial class SyntheticRequest
{
    private readonly HeaderDictionary _headers = new();

    /// <summary>A request for <paramref name="target"/> (path and optional query, as on the request line).</summary>
    /// <param name="method">The method, for example <c>GET</c>; sent as given.</param>
    /// <param name="target">The request target: <c>/path?query</c>, percent-encoded as on the wire.</param>
    public SyntheticRequest(string method, string target)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        ArgumentException.ThrowIfNullOrEmpty(target);
        if (target[0] != '/')
        {
            throw new ArgumentException("The target must start with '/'.", nameof(target));
        }

        Method = method;
        RawTarget = target;
        var question = target.IndexOf('?', StringComparison.Ordinal);
        var rawPath = question < 0 ? target : target[..question];
        QueryString = question < 0 ? "" : target[(question + 1)..];

        // Kestrel's decoding: percent-escapes are decoded, except %2F which stays as is.
        Path = PathString.FromUriComponent(rawPath).Value ?? "/";
        _body = new RequestBody();
    }

    /// <summary>A <c>GET</c> request without a body.</summary>
    /// <param name="target">The request target, <c>/path?query</c>.</param>
    /// <returns>The request.</returns>
    public static SyntheticRequest Get(string target) => new("GET", target);

    /// <summary>A <c>POST</c> request, with <paramref name="body"/> as its UTF-8 body when given.</summary>
    /// <param name="target">The request target, <c>/path?query</c>.</param>
    /// <param name="body">The whole body, or <c>null</c> to give it later (<see cref="WithBody(string)"/>, <see cref="WithStreamingBody"/>).</param>
    /// <returns>The request.</returns>
    public static SyntheticRequest Post(string target, string? body = null)
    {
        var request = new SyntheticRequest("POST", target);
        return body is null ? request : request.WithBody(body);
    }

    /// <summary>The method.</summary>
    public string Method { get; }

    /// <summary>The target as given, undecoded.</summary>
    public string RawTarget { get; }

    /// <summary>The percent-decoded path the handler sees.</summary>
    public string Path { get; }

    /// <summary>The raw query string without <c>?</c>, as the handler sees it; empty when there is none.</summary>
    public string QueryString { get; }

    /// <summary>The protocol, <c>HTTP/1.1</c> unless changed with <see cref="WithProtocol"/>.</summary>
    public string Protocol { get; private set; } = "HTTP/1.1";

    /// <summary>The scheme, <c>http</c> unless changed with <see cref="WithScheme"/>.</summary>
    public string Scheme { get; private set; } = "http";

    /// <summary>The server's endpoint the request arrived on; <c>127.0.0.1:8080</c> by default.</summary>
    public IPEndPoint LocalEndPoint { get; private set; } = new(IPAddress.Loopback, 8080);

    /// <summary>The client's endpoint; <c>127.0.0.1:50000</c> by default.</summary>
    public IPEndPoint RemoteEndPoint { get; private set; } = new(IPAddress.Loopback, 50000);

    /// <summary>The request headers as sent, including those the body options add (<c>content-length</c>, <c>transfer-encoding</c>).</summary>
    public IHeaderDictionary Headers => _headers;

    /// <summary>
    /// How many response bytes the connection buffers before the server's flushes wait for the client to read
    /// (Kestrel's <c>MaxResponseBufferSize</c>); 64 KiB by default. Pair a small value with
    /// <see cref="SyntheticResponse.PauseReading"/> to put a handler under backpressure.
    /// </summary>
    public int ResponseBufferSize { get; private set; } = 64 * 1024;

    /// <summary>
    /// Whether the client starts without reading the response (see <see cref="WithResponseReadingPaused"/>).
    /// </summary>
    public bool ResponseReadingPaused { get; private set; }

    /// <summary>Adds a header; a repeated name adds another value, as a client sending the header twice.</summary>
    /// <param name="name">The name, any case.</param>
    /// <param name="value">The value.</param>
    /// <returns>This request.</returns>
    public SyntheticRequest WithHeader(string name, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ThrowIfSent();
        _headers.Append(name, value);
        return this;
    }

    /// <summary>Adds several headers (see <see cref="WithHeader"/>).</summary>
    /// <param name="headers">Name and value pairs.</param>
    /// <returns>This request.</returns>
    public SyntheticRequest WithHeaders(params ReadOnlySpan<(string Name, string Value)> headers)
    {
        foreach (var (name, value) in headers)
        {
            WithHeader(name, value);
        }

        return this;
    }

    /// <summary>Sets the protocol (<c>HTTP/1.0</c>, <c>HTTP/1.1</c>, <c>HTTP/2</c>); only HTTP/1.1 responses get chunked framing.</summary>
    /// <param name="protocol">The protocol string as Kestrel reports it.</param>
    /// <returns>This request.</returns>
    public SyntheticRequest WithProtocol(string protocol)
    {
        ArgumentException.ThrowIfNullOrEmpty(protocol);
        ThrowIfSent();
        Protocol = protocol;
        return this;
    }

    /// <summary>Sets the scheme, <c>http</c> or <c>https</c>.</summary>
    /// <param name="scheme">The scheme.</param>
    /// <returns>This request.</returns>
    public SyntheticRequest WithScheme(string scheme)
    {
        ArgumentException.ThrowIfNullOrEmpty(scheme);
        ThrowIfSent();
        Scheme = scheme;
        return this;
    }

    /// <summary>Sets the client's endpoint (the handler's <c>remote_address</c>).</summary>
    /// <param name="endPoint">The endpoint.</param>
    /// <returns>This request.</returns>
    public SyntheticRequest From(IPEndPoint endPoint)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        ThrowIfSent();
        RemoteEndPoint = endPoint;
        return this;
    }

    /// <summary>Sets the server's endpoint (the handler's <c>server_address</c>).</summary>
    /// <param name="endPoint">The endpoint.</param>
    /// <returns>This request.</returns>
    public SyntheticRequest To(IPEndPoint endPoint)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        ThrowIfSent();
        LocalEndPoint = endPoint;
        return this;
    }

    /// <summary>Sets the response buffer size (see <see cref="ResponseBufferSize"/>).</summary>
    /// <param name="bytes">At least 1.</param>
    /// <returns>This request.</returns>
    public SyntheticRequest WithResponseBufferSize(int bytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bytes, 1);
        ThrowIfSent();
        ResponseBufferSize = bytes;
        return this;
    }

    /// <summary>
    /// Starts the client without reading the response, so that the server meets backpressure as soon as
    /// <see cref="ResponseBufferSize"/> bytes are unread; <see cref="SyntheticResponse.ResumeReading"/> reads on.
    /// </summary>
    /// <returns>This request.</returns>
    public SyntheticRequest WithResponseReadingPaused()
    {
        ThrowIfSent();
        ResponseReadingPaused = true;
        return this;
    }

    /// <summary>Gives the whole body up front, with its <c>content-length</c>.</summary>
    /// <param name="body">The bytes; copied.</param>
    /// <returns>This request.</returns>
    public SyntheticRequest WithBody(ReadOnlyMemory<byte> body)
    {
        ThrowIfSent();
        _body.SetFixed(body.ToArray());
        _headers.ContentLength = body.Length;
        return this;
    }

    /// <summary>Gives the whole body up front as UTF-8 text, with its <c>content-length</c>.</summary>
    /// <param name="body">The text.</param>
    /// <returns>This request.</returns>
    public SyntheticRequest WithBody(string body) => WithBody(Encoding.UTF8.GetBytes(body));

    /// <summary>
    /// Announces a body that the test writes later with <see cref="WriteBodyAsync(ReadOnlyMemory{byte})"/> and
    /// ends with <see cref="CompleteBody"/>. With <paramref name="contentLength"/> the request carries that
    /// <c>content-length</c>; without it, <c>transfer-encoding: chunked</c>.
    /// </summary>
    /// <param name="contentLength">The announced length, or <c>null</c> for a chunked body.</param>
    /// <returns>This request.</returns>
    public SyntheticRequest WithStreamingBody(long? contentLength = null)
    {
        ThrowIfSent();
        _body.SetStreaming(contentLength);
        if (contentLength is long length)
        {
            _headers.ContentLength = length;
        }
        else
        {
            _headers["transfer-encoding"] = "chunked";
        }

        return this;
    }

    /// <inheritdoc />
    public override string ToString() => $"{Method} {RawTarget} {Protocol}";
}
