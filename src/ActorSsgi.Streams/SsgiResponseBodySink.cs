using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;

namespace ActorSsgi.Streams;

/// <summary>Writes an Akka.Streams source as the body of an SSGI response, with backpressure.</summary>
public static class SsgiResponseBodySink
{
    /// <summary>
    /// Runs <paramref name="body"/> and writes each element with <see cref="ISsgiHttpResponse.SendChunk(ReadOnlyMemory{byte}, long?)"/>;
    /// the next element is pulled only after the previous SendChunk task completed. Without
    /// <paramref name="totalSize"/> the body is chunked and ended with <see cref="ISsgiHttpResponse.Send()"/>.
    /// </summary>
    /// <remarks>
    /// A chunk that was not sent (<c>Sent == false</c>: the client went away) cancels the source, so an abort is
    /// seen at the next element. A failing source faults the returned task: returned or awaited from the handler,
    /// the server then answers 500 when nothing was sent yet and aborts the connection once the body started.
    /// </remarks>
    /// <typeparam name="TMat">The source's materialized value (ignored).</typeparam>
    /// <param name="response">The response.</param>
    /// <param name="body">The body; each element is one chunk (empty elements are skipped).</param>
    /// <param name="materializer">The materializer that runs the stream.</param>
    /// <param name="totalSize">The body's length, sent as Content-Length; <c>null</c> for a chunked body.</param>
    /// <returns>Completes when the response ended or the stream was cancelled by an abort.</returns>
    public static async Task SendBody<TMat>(this ISsgiHttpResponse response, Source<ByteString, TMat> body, IMaterializer materializer, long? totalSize = null)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(materializer);

        // SelectAsync(1) pulls again only once the previous SendChunk completed, which completes only when the server
        // can take more: the client's reading speed is the stream's demand.
        // (A Publisher-backed source still has the materializer's input buffer in front of us: bounded, at most
        // MaxInputBufferSize elements.)
        var last = await body
            .Where(static chunk => !chunk.IsEmpty)
            .SelectAsync(1, chunk => response.SendChunk(chunk.ToArray(), totalSize).AsTask())
            .TakeWhile(static result => result.Sent && !result.Ended, inclusive: true)
            .ToMaterialized(Sink.LastOrDefault<SsgiChunkResult>(), Keep.Right)
            .Run(materializer)
            .ConfigureAwait(false);

        // Nothing sent (an empty source) or every chunk sent without reaching totalSize: end the response here.
        // A chunk that was not sent means the response was aborted, and there is nothing left to end.
        var nothingSent = last == default;
        if (!response.Aborted && !last.Ended && (nothingSent || last.Sent))
        {
            response.Send();
        }
    }
}
