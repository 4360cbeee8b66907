using System.Collections.Concurrent;

namespace ActorSsgi.Streams.Tests;

/// <summary>
/// An ISsgiHttpResponse without a server: GetChunk returns the queued chunks (in one reused buffer, as the server
/// does), SendChunk records each call and completes only when the test releases it.
/// </summary>
public sealed class FakeHttpResponse : ISsgiHttpResponse
{
    private readonly Queue<byte[]> _body;
    private readonly byte[] _reused = new byte[64];
    private readonly ConcurrentQueue<TaskCompletionSource<SsgiChunkResult>> _pendingSends = new();

    public FakeHttpResponse(params byte[][] body) => _body = new Queue<byte[]>(body);

    public int GetChunkCalls;
    public int SendChunkCalls;
    public int SendCalls;
    public readonly ConcurrentQueue<byte[]> Sent = new();

    public bool Aborted { get; set; }

    public IReadOnlyDictionary<string, object>? Extensions => null;

    public ValueTask<ReadOnlyMemory<byte>?> GetChunk()
    {
        Interlocked.Increment(ref GetChunkCalls);
        if (!_body.TryDequeue(out var next))
        {
            return ValueTask.FromResult<ReadOnlyMemory<byte>?>(null);
        }

        // The same buffer every time: the source must copy.
        next.CopyTo(_reused, 0);
        return ValueTask.FromResult<ReadOnlyMemory<byte>?>(_reused.AsMemory(0, next.Length));
    }

    public ValueTask<SsgiChunkResult> SendChunk(ReadOnlyMemory<byte> chunk, long? totalSize = null)
    {
        Sent.Enqueue(chunk.ToArray());
        var pending = new TaskCompletionSource<SsgiChunkResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pendingSends.Enqueue(pending);
        Interlocked.Increment(ref SendChunkCalls);
        return new ValueTask<SsgiChunkResult>(pending.Task);
    }

    /// <summary>Completes the oldest pending SendChunk with <paramref name="result"/>.</summary>
    public void CompleteSend(SsgiChunkResult result)
    {
        Assert.True(_pendingSends.TryDequeue(out var pending), "no SendChunk is pending");
        pending.SetResult(result);
    }

    public void Send() => Interlocked.Increment(ref SendCalls);

    public void Send(ReadOnlyMemory<byte> payload, bool hasMore = false) => throw new NotSupportedException();

    public void Send(string? payload, bool hasMore = false) => throw new NotSupportedException();

    public ValueTask<SsgiChunkResult> SendChunk(string chunk, long? totalSize = null) => throw new NotSupportedException();

    public void SendStatus(int statusCode = 200) => throw new NotSupportedException();

    public void SendHeaders(IEnumerable<KeyValuePair<string, string>> headers) => throw new NotSupportedException();

    public void SendHeaders(params ReadOnlySpan<(string Name, string Value)> headers) => throw new NotSupportedException();

    public void RunAsync(Func<ISsgiHttpResponse, ValueTask> handler) => throw new NotSupportedException();

    public void RunAsync<TState>(Func<ISsgiHttpResponse, TState, ValueTask> handler, TState state) => throw new NotSupportedException();

    public ValueTask<ReadOnlyMemory<byte>?> GetData() => throw new NotSupportedException();

    public void OnAborted(Action<ISsgiHttpResponse> handler) => throw new NotSupportedException();

    public void OnAborted<TState>(Action<ISsgiHttpResponse, TState> handler, TState state) => throw new NotSupportedException();

    public void OnAborted(Func<ISsgiHttpResponse, ValueTask> handler) => throw new NotSupportedException();
}
