namespace ActorSsgi.Tests.Support;

/// <summary>What a handler saw when its on_aborted ran: the flag, and how every call behaved afterwards.</summary>
internal sealed record AbortReport(bool Aborted, Exception? SendError, SsgiChunkResult? Chunk, bool DataIsNull, bool ChunkIsNull)
{
    /// <summary>The seed's promise after abort: Aborted is true, nothing throws, sends are dropped, reads return null.</summary>
    public bool IsQuiet => Aborted && SendError is null && Chunk == new SsgiChunkResult(false, true) && DataIsNull && ChunkIsNull;

    /// <summary>Probes every call on <paramref name="res"/>; meant for inside on_aborted (or after the request ended aborted).</summary>
    public static AbortReport Probe(ISsgiHttpResponse res)
    {
        Exception? sendError = null;
        try
        {
            res.Send("dropped");
            res.Send("dropped", hasMore: true);
            res.Send();
            res.SendStatus(500);
            res.SendHeaders(("x-dropped", "1"));
        }
        catch (Exception ex)
        {
            sendError = ex;
        }

        SsgiChunkResult? chunk = null;
        var chunkTask = res.SendChunk("dropped"u8.ToArray(), 7);
        if (chunkTask.IsCompleted)
        {
            chunk = chunkTask.Result;
        }

        var data = res.GetData();
        var next = res.GetChunk();
        return new AbortReport(
            res.Aborted,
            sendError,
            chunk,
            data.IsCompleted && data.Result is null,
            next.IsCompleted && next.Result is null);
    }
}
