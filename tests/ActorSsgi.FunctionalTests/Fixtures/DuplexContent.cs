using System.Net;

namespace ActorSsgi.FunctionalTests.Fixtures;

/// <summary>
/// A request body HttpClient may send while it already reads the response. HttpClient's HTTP/2 handler waits until a
/// ByteArrayContent is fully sent before it reads the response; with an echoing route that stalls on flow control
/// once the body is larger than the windows (about 1 MiB). A custom HttpContent is sent full-duplex.
/// </summary>
public sealed class DuplexContent(byte[] data) : HttpContent
{
    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        for (var offset = 0; offset < data.Length; offset += 64 * 1024)
        {
            await stream.WriteAsync(data.AsMemory(offset, Math.Min(64 * 1024, data.Length - offset)));
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = data.Length;
        return true;
    }
}
