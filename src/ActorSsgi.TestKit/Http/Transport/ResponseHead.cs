using Microsoft.Extensions.Primitives;

namespace ActorSsgi.TestKit.Http.Transport;

/// <summary>The status line and headers as they went on the wire, frozen when the response started.</summary>
/// <param name="StatusCode">The status code.</param>
/// <param name="Headers">The headers, case-insensitive, including what the server's transport added.</param>
/// <param name="IsChunked">Whether the body went out with chunked framing.</param>
internal sealed record ResponseHead(int StatusCode, IReadOnlyDictionary<string, StringValues> Headers, bool IsChunked);
