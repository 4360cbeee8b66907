using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace ActorSsgi.Streams.Tests;

/// <summary>
/// The bounded form of "a 1 GiB response to a client reading at 1 MB/s keeps server memory growth under 32 MiB".
/// The server is in this process, so what is measured is this process's managed heap after a full GC
/// (GC.GetTotalMemory(true)), before the request and after ~6 s of reading, plus the bytes the 1 GiB source emitted
/// into SendBody compared with the bytes the raw-TCP client read.
/// </summary>
public sealed class SlowReaderMemorySpec(StreamsServer server) : IClassFixture<StreamsServer>
{
    [Fact]
    public async Task A_1_GiB_response_to_a_client_reading_1_MB_per_second_pulls_only_what_was_read_plus_a_bounded_window()
    {
        const long window = 16L * 1024 * 1024; // socket buffers + the server's send buffer + one chunk in flight
        var before = GC.GetTotalMemory(forceFullCollection: true);

        using var client = new TcpClient();
        await client.ConnectAsync(server.BaseAddress.Host, server.BaseAddress.Port);
        client.ReceiveBufferSize = 64 * 1024;
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET /big HTTP/1.1\r\nHost: {server.BaseAddress.Authority}\r\n\r\n"));

        // ~1 MB/s: 100 KB every 100 ms, for 6 s; the loop is bounded by time.
        var buffer = new byte[100 * 1024];
        long read = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(6))
        {
            var target = (long)(clock.Elapsed.TotalSeconds * 1_000_000);
            while (read < target)
            {
                var n = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, target - read)));
                Assert.NotEqual(0, n);
                read += n;
            }

            await Task.Delay(100);
            Assert.True(server.BigPulled <= read + window, $"pulled {server.BigPulled} bytes with {read} read");
        }

        var growth = GC.GetTotalMemory(forceFullCollection: true) - before;
        Assert.InRange(read, 5_000_000, 7_000_000);
        Assert.True(server.BigPulled <= read + window, $"pulled {server.BigPulled} bytes with {read} read");
        Assert.True(growth < 32L * 1024 * 1024, $"managed heap grew by {growth} bytes");
        Console.WriteLine($"slow-reader: read {read} B, pulled {server.BigPulled} B, heap growth {growth} B");
    }
}
