using System.Globalization;

namespace ActorSsgi.Demo.Http;

/// <summary>
/// <c>POST /stream</c>: the body comes back as it arrives, through get_chunk and send_chunk, so memory stays flat
/// whatever the size: Content-Length when the request had one, chunked otherwise.
/// </summary>
internal static class StreamRoute
{
    public static ValueTask Handle(ISsgiHeaders getHeader, ISsgiHttpResponse res, DemoCounters counters)
    {
        long? total = long.TryParse(getHeader.GetHeader("content-length"), NumberStyles.None, CultureInfo.InvariantCulture, out var length) ? length : null;
        res.OnAborted(static (_, c) => c.CountAborted(), counters);
        res.SendHeaders(("content-type", getHeader.GetHeader("content-type") ?? "application/octet-stream"));
        return Copy(res, total);
    }

    private static async ValueTask Copy(ISsgiHttpResponse res, long? total)
    {
        if (total == 0)
        {
            res.Send();
            return;
        }

        while (await res.GetChunk() is { } chunk)
        {
            var (_, ended) = await res.SendChunk(chunk, total);
            if (ended)
            {
                return;
            }
        }

        if (!res.Aborted && total is null)
        {
            res.Send();
        }
    }
}
