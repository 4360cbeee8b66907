using System.Diagnostics;
using System.Text;
using ActorSsgi.FunctionalTests.Fixtures;
using Xunit.Abstractions;

namespace ActorSsgi.FunctionalTests.Load;

/// <summary>
/// 1 GiB through <c>POST /stream</c> must not be buffered: the demo copies get_chunk to send_chunk, and the server
/// has to apply backpressure both ways.
/// </summary>
/// <remarks>
/// How memory is measured: the demo runs as its own process, so only the server's memory is counted (in-process,
/// the test's own buffers, the GC of the test host and the other tests would all blur the figure). Its VmRSS
/// (/proc/PID/status) is read once after a warm-up transfer (JIT done, buffer pools filled), then sampled every 25 ms
/// during the transfer; the peak minus that baseline is the growth. A server that buffered the body would grow by
/// hundreds of MiB, far beyond the 64 MiB bound.
/// The client is a raw socket that writes and reads at the same time (HttpClient's HTTP/1.1 handler would finish
/// sending before it reads, and the echo would then stall on TCP flow control).
/// </remarks>
[Collection(SerialCollection.Name)]
public sealed class StreamingMemorySpec(ITestOutputHelper output)
{
    private const long OneGiB = 1L << 30;
    private const long MaxGrowth = 64L << 20;

    // A prime-sized random block, repeated: no 64 KiB-aligned reordering or duplication can go unnoticed.
    private const int PatternLength = 65_521;
    private static readonly byte[] Pattern = CreatePattern();

    [Fact]
    public async Task One_gib_streams_through_post_stream_byte_exact_with_server_memory_growth_under_64_mib()
    {
        await using var demo = await DemoProcess.StartAsync("ActorSsgi:Limits:MaxRequestBodySize=2147483648");
        await TransferAsync(demo, 32L << 20); // warm-up
        var baseline = demo.ResidentBytes();

        using var sampling = new CancellationTokenSource();
        long peak = baseline;
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, demo.ResidentBytes());
                await Task.Delay(25);
            }
        });

        var watch = Stopwatch.StartNew();
        var (received, contentLength) = await TransferAsync(demo, OneGiB);
        watch.Stop();
        await sampling.CancelAsync();
        await sampler;

        var growth = peak - baseline;
        output.WriteLine($"1 GiB in {watch.Elapsed.TotalSeconds:0.0} s ({OneGiB / watch.Elapsed.TotalSeconds / (1 << 20):0} MiB/s); " +
            $"RSS baseline {baseline >> 20} MiB, peak {peak >> 20} MiB, growth {growth >> 20} MiB");
        Assert.Equal(OneGiB, contentLength);
        Assert.Equal(OneGiB, received);
        Assert.True(growth < MaxGrowth, $"server RSS grew by {growth >> 20} MiB while streaming 1 GiB (limit {MaxGrowth >> 20} MiB)");
    }

    /// <summary>Sends <paramref name="size"/> pattern bytes and checks every byte of the echo as it arrives.</summary>
    private async Task<(long Received, long? ContentLength)> TransferAsync(DemoProcess demo, long size)
    {
        try
        {
            return await TransferOnceAsync(demo, size);
        }
        catch
        {
            // What the server logged is the only account of why it ended the exchange.
            output.WriteLine($"The demo's output:\n{demo.Output}");
            throw;
        }
    }

    private static async Task<(long Received, long? ContentLength)> TransferOnceAsync(DemoProcess demo, long size)
    {
        await using var connection = await RawHttpConnection.ConnectAsync(demo.EndPoint);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await connection.SendAsync(Encoding.ASCII.GetBytes($"POST /stream HTTP/1.1\r\nHost: t\r\nContent-Length: {size}\r\n\r\n"));

        var writer = Task.Run(async () =>
        {
            for (long sent = 0; sent < size;)
            {
                var length = (int)Math.Min(PatternLength, size - sent);
                await connection.SendAsync(Pattern.AsMemory((int)(sent % PatternLength), length), timeout.Token);
                sent += length;
            }
        });

        var head = await connection.ReadHeadAsync(timeout.Token);
        Assert.Equal(200, head.Status);
        long position = 0;
        var received = await connection.ReadBodyAsync(head, chunk => position = Verify(chunk.Span, position), timeout.Token);
        await writer;
        Assert.Equal(received, position);
        return (received, head.ContentLength);
    }

    private static long Verify(ReadOnlySpan<byte> chunk, long position)
    {
        while (!chunk.IsEmpty)
        {
            var offset = (int)(position % PatternLength);
            var length = Math.Min(chunk.Length, PatternLength - offset);
            if (!chunk[..length].SequenceEqual(Pattern.AsSpan(offset, length)))
            {
                throw new Xunit.Sdk.XunitException($"The echoed body differs from what was sent near byte {position}.");
            }

            chunk = chunk[length..];
            position += length;
        }

        return position;
    }

    private static byte[] CreatePattern()
    {
        // Twice the block, so any window of up to one block length is contiguous.
        var block = new byte[PatternLength];
        new Random(42).NextBytes(block);
        return [.. block, .. block];
    }
}
