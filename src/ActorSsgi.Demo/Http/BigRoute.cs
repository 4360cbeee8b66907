using System.Collections.Specialized;
using System.Globalization;

namespace ActorSsgi.Demo.Http;

/// <summary><c>GET /big?bytes=N</c>: N bytes through send_chunk with total_size = N, waiting on backpressure.</summary>
internal static class BigRoute
{
    private const long MaxBytes = 64L * 1024 * 1024 * 1024;
    private static readonly byte[] Block = CreateBlock();

    public static ValueTask Handle(NameValueCollection query, ISsgiHttpResponse res, DemoCounters counters)
    {
        if (!long.TryParse(query["bytes"], NumberStyles.None, CultureInfo.InvariantCulture, out var total) || total > MaxBytes)
        {
            HttpRoutes.BadRequest(res, $"bytes must be a whole number from 0 to {MaxBytes}");
            return default;
        }

        res.OnAborted(static (_, c) => c.CountAborted(), counters);
        res.SendHeaders(("content-type", "application/octet-stream"));
        if (total == 0)
        {
            res.Send();
            return default;
        }

        return Send(res, total);
    }

    private static async ValueTask Send(ISsgiHttpResponse res, long total)
    {
        for (long sent = 0; sent < total;)
        {
            var size = (int)Math.Min(Block.Length, total - sent);
            var (_, ended) = await res.SendChunk(Block.AsMemory(0, size), total);
            sent += size;
            if (ended)
            {
                return;
            }
        }
    }

    private static byte[] CreateBlock()
    {
        var block = new byte[64 * 1024];
        for (var i = 0; i < block.Length; i++)
        {
            block[i] = (byte)('a' + (i % 26));
        }

        return block;
    }
}
