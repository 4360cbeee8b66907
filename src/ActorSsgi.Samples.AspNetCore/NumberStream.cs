using Akka;
using Akka.Streams;
using Akka.Streams.Dsl;

namespace ActorSsgi.Samples.AspNetCore;

/// <summary>
/// <c>GET /streams/numbers?count=N</c>: the lines <c>1\n2\n…N\n</c> produced by an Akka.Streams <see cref="Source"/>
/// and written chunked. One write is in flight at a time (<c>SelectAsync(1, …)</c>): the source is pulled only when
/// the last line was written and flushed, so a slow client slows the source and memory stays bounded.
/// </summary>
internal static class NumberStream
{
    /// <summary>The largest count served (about 10 MB of lines); more is a 400.</summary>
    public const int MaxCount = 1_000_000;

    public static async Task<IResult> Handle(HttpContext context, IMaterializer materializer, int? count)
    {
        if (count is not { } n || n < 0 || n > MaxCount)
        {
            return Results.Problem($"count must be 0 to {MaxCount}.", statusCode: 400);
        }

        var response = context.Response;
        response.ContentType = "text/plain";
        await response.StartAsync(context.RequestAborted);
        await Source.From(Enumerable.Range(1, n))
            .Select(i => System.Text.Encoding.ASCII.GetBytes($"{i}\n"))
            .SelectAsync(1, async line =>
            {
                await response.Body.WriteAsync(line, context.RequestAborted);
                await response.Body.FlushAsync(context.RequestAborted);
                return NotUsed.Instance;
            })
            .RunWith(Sink.Ignore<NotUsed>(), materializer);
        return Results.Empty;
    }
}
