using Akka;
using Akka.IO;
using Akka.Streams.Dsl;
using Akka.Util;

namespace ActorSsgi.Streams;

/// <summary>The request body of an SSGI response as an Akka.Streams <see cref="Source{TOut, TMat}"/>.</summary>
public static class SsgiRequestBodySource
{
    /// <summary>
    /// The request body as a source that calls <see cref="ISsgiHttpResponse.GetChunk"/> once per pull and never
    /// before the first pull; a <c>null</c> chunk (the end of the body, or an aborted request) completes it.
    /// </summary>
    /// <remarks>
    /// Each chunk is copied into its <see cref="ByteString"/>, because the server reuses the memory GetChunk returns.
    /// Calls made from the stream's threads are marshalled to the request's actor (SSGI §3.13).
    /// </remarks>
    /// <param name="response">The response whose request body is read.</param>
    /// <returns>A source of body chunks; materialize it once.</returns>
    public static Source<ByteString, NotUsed> RequestBody(this ISsgiHttpResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);

        // UnfoldAsync runs the function only when downstream pulls, and completes the async result through the
        // stage's own async callback: demand from downstream is the only thing that reads the socket.
        return Source.UnfoldAsync<ISsgiHttpResponse, ByteString>(response, static async res =>
        {
            var chunk = await res.GetChunk().ConfigureAwait(false);
            return chunk is { } memory
                ? Option<(ISsgiHttpResponse, ByteString)>.Create((res, ByteString.FromBytes(memory.ToArray())))
                : Option<(ISsgiHttpResponse, ByteString)>.None;
        });
    }
}
