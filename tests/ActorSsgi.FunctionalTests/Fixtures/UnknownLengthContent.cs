using System.Net;

namespace ActorSsgi.FunctionalTests.Fixtures;

/// <summary>
/// Content whose length HttpClient cannot know: sent with Transfer-Encoding: chunked over HTTP/1.1, and as DATA frames
/// without content-length over HTTP/2.
/// </summary>
public sealed class UnknownLengthContent(byte[] data) : HttpContent
{
    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        for (var offset = 0; offset < data.Length; offset += 10_000)
        {
            await stream.WriteAsync(data.AsMemory(offset, Math.Min(10_000, data.Length - offset)));
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
