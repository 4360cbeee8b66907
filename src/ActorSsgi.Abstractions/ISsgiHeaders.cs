namespace ActorSsgi;

/// <summary>
/// The seed's <c>get_header</c>: lazy access to the request headers. Nothing is allocated for headers that are
/// never asked for. Names are case-insensitive on input and lowercase on output.
/// </summary>
/// <remarks>
/// Valid until the handler's task completes or it calls <c>RunAsync</c>; for WebSockets also until accept or
/// reject. After that every member throws <see cref="InvalidOperationException"/> rather than return stale data.
/// </remarks>
public interface ISsgiHeaders
{
    /// <summary>The seed's <c>get_header(name)</c>: one header's value, repeated headers joined with <c>", "</c>.</summary>
    /// <param name="name">The header name, any case.</param>
    /// <returns>The value, or <c>null</c> when the request has no such header.</returns>
    /// <exception cref="InvalidOperationException">The headers are no longer valid.</exception>
    string? GetHeader(string name);

    /// <summary>The seed's <c>get_header()</c>: all headers, lowercase names, repeated headers joined with <c>", "</c>.</summary>
    /// <returns>A snapshot the caller owns; it stays readable after the headers expire.</returns>
    /// <exception cref="InvalidOperationException">The headers are no longer valid.</exception>
    IReadOnlyDictionary<string, string> GetHeaders();
}
