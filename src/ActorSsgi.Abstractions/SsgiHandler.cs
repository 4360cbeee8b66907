namespace ActorSsgi;

/// <summary>
/// The <c>ssgi</c> entry: called once for every HTTP request, or when a WebSocket connection wants to upgrade.
/// </summary>
/// <typeparam name="TResponse">
/// <see cref="ISsgiHttpResponse"/> for HTTP, <see cref="ISsgiWebSocket"/> for WebSockets. The parameter is
/// contravariant, so one <c>SsgiHandler&lt;ISsgiConnection&gt;</c> can serve both protocols, as the seed's single
/// function does.
/// </typeparam>
/// <param name="type">HTTP request or WebSocket upgrade.</param>
/// <param name="serverAddress">The local endpoint, <c>ip:port</c>; IPv6 in brackets (<c>[::1]:8080</c>).</param>
/// <param name="remoteAddress">The peer endpoint, <c>ip:port</c>; IPv6 in brackets.</param>
/// <param name="method">The request method as sent (<c>GET</c>); an HTTP/2 WebSocket (RFC 8441) arrives as <c>CONNECT</c>.</param>
/// <param name="path">The percent-decoded path, starting with <c>/</c> (<c>%2F</c> stays encoded; empty for <c>OPTIONS *</c>).</param>
/// <param name="queryString">The raw, undecoded query string without the leading <c>?</c>; empty when there is none.</param>
/// <param name="getHeader">
/// The request headers, lowercase names, read lazily. Valid until the returned task completes or
/// <c>RunAsync</c> is called, whichever is first; afterwards every access throws <see cref="InvalidOperationException"/>.
/// </param>
/// <param name="res">The response (HTTP) or socket (WebSocket) object.</param>
/// <returns>
/// A task the server awaits. A synchronous handler returns <c>default</c> (a completed task); an async one keeps
/// the request's headers alive until it completes (the seed: "if this function is a coroutine, data will be preserved").
/// </returns>
public delegate ValueTask SsgiHandler<in TResponse>(
    SsgiType type,
    string serverAddress,
    string remoteAddress,
    string method,
    string path,
    string queryString,
    ISsgiHeaders getHeader,
    TResponse res)
    where TResponse : ISsgiConnection;
