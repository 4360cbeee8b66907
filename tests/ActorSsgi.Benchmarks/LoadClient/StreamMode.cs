using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace LoadClient;

/// <summary>
/// POSTs a generated body of --bytes to an echoing endpoint while reading the echo concurrently (full duplex),
/// and reports throughput plus how far the server's resident memory rose above its pre-request level.
/// A server that streams keeps that growth near its buffer sizes; one that buffers grows by the body size.
/// </summary>
internal static class StreamMode
{
    private const int ChunkSize = 64 * 1024;

    public static async Task<int> RunAsync(Options options, CancellationToken ct)
    {
        var url = new Uri(options.GetString("url"));
        var bytes = options.GetLong("bytes", 1L << 30);
        var probe = ServerProbe.FromOptions(options);

        var rssBefore = probe?.RssKiB();
        var peakWasReset = probe?.TryResetPeak() ?? false;
        using var sampling = new CancellationTokenSource();
        var sampler = probe is null ? Task.FromResult(0L) : SamplePeakRssAsync(probe, sampling.Token);

        var clock = Stopwatch.StartNew();
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(url.Host, url.Port, ct);
        await using var connection = new NetworkStream(socket, ownsSocket: false);

        // Send and receive concurrently: an echo of 1 GiB cannot fit in socket buffers.
        var sending = SendRequestAsync(connection, url, bytes, ct);
        var response = new Http11ResponseReader(connection);
        await response.ReadHeadAsync(ct);
        if (response.StatusCode != 200)
        {
            Console.Error.WriteLine($"loadclient: POST {url} answered {response.StatusCode}");
            return 1;
        }
        var received = await response.DrainBodyAsync(ct);
        await sending;
        var seconds = clock.Elapsed.TotalSeconds;

        await sampling.CancelAsync();
        var sampledPeak = await sampler;

        Report.Value("bytes_sent", bytes);
        Report.Value("bytes_received", received);
        Report.Value("seconds", seconds);
        Report.Value("mb_per_sec", received / seconds / 1e6);
        if (probe is not null && rssBefore is { } before)
        {
            // VmHWM catches spikes between samples, but only counts if it was reset to "now" before the request;
            // otherwise it holds the process's lifetime peak (e.g. from the idle-sessions scenario).
            var peak = peakWasReset ? Math.Max(sampledPeak, probe.PeakRssKiB()) : sampledPeak;
            Report.Value("rss_before_kib", before);
            Report.Value("rss_peak_kib", peak);
            Report.Value("rss_growth_kib", peak - before);
        }
        if (received != bytes)
        {
            Console.Error.WriteLine($"loadclient: sent {bytes} bytes but {received} came back");
            return 1;
        }
        return 0;
    }

    private static async Task<long> SamplePeakRssAsync(ServerProbe probe, CancellationToken ct)
    {
        long peak = 0;
        while (!ct.IsCancellationRequested)
        {
            peak = Math.Max(peak, probe.RssKiB());
            try
            {
                await Task.Delay(20, ct);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        return Math.Max(peak, probe.RssKiB());
    }

    /// <summary>Request head, then a body of --bytes produced from one reused chunk (the client stays small).</summary>
    private static async Task SendRequestAsync(Stream connection, Uri url, long bytes, CancellationToken ct)
    {
        var head = $"POST {url.PathAndQuery} HTTP/1.1\r\nHost: {url.Authority}\r\n" +
                   $"Content-Type: application/octet-stream\r\nContent-Length: {bytes}\r\nConnection: close\r\n\r\n";
        await connection.WriteAsync(Encoding.ASCII.GetBytes(head), ct);
        var chunk = new byte[ChunkSize];
        Random.Shared.NextBytes(chunk);
        for (var remaining = bytes; remaining > 0; remaining -= ChunkSize)
        {
            await connection.WriteAsync(chunk.AsMemory(0, (int)Math.Min(ChunkSize, remaining)), ct);
        }
    }
}
