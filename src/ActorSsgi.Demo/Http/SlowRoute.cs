using System.Collections.Specialized;
using System.Globalization;

namespace ActorSsgi.Demo.Http;

/// <summary><c>GET /slow?ms=N</c>: answers after N ms; a client that leaves first is counted by on_aborted.</summary>
internal static class SlowRoute
{
    private const int MaxMilliseconds = 60_000;

    public static ValueTask Handle(NameValueCollection query, ISsgiHttpResponse res, DemoCounters counters)
    {
        if (!int.TryParse(query["ms"], NumberStyles.None, CultureInfo.InvariantCulture, out var ms) || ms > MaxMilliseconds)
        {
            HttpRoutes.BadRequest(res, $"ms must be a whole number from 0 to {MaxMilliseconds}");
            return default;
        }

        res.OnAborted(static (_, c) => c.CountAborted(), counters);
        return Answer(res, ms);
    }

    private static async ValueTask Answer(ISsgiHttpResponse res, int ms)
    {
        await Task.Delay(ms);
        if (!res.Aborted)
        {
            res.SendHeaders(("content-type", "text/plain"));
            res.Send($"slept {ms} ms");
        }
    }
}
