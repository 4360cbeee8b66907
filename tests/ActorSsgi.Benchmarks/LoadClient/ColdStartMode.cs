using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace LoadClient;

/// <summary>
/// Cold start: how fast a fresh server process reaches its steady plaintext rate. The client is started before the
/// server, warms its own request loop against an in-process canned responder (so its JIT is not measured), writes
/// --ready-file, then waits for the harness to write the server's spawn time (Unix ns) to --spawn-file and for the port
/// to accept. From then on it drives --connections connections with --pipeline requests per write, counting completed
/// responses in --bucket-ms buckets, until --seconds after the spawn. Reported, all from the spawn:
/// accept_ms (first accepted connection), first_second_rps (the first second after that), steady_rps (median of the
/// per-second rates over the last 5 s), t90_ms (end of the first 500 ms window at >= 90% of steady), and the series.
/// </summary>
internal static class ColdStartMode
{
    public static async Task<int> RunAsync(Options options, CancellationToken ct)
    {
        var host = options.GetOptionalString("host") ?? "127.0.0.1";
        var port = options.GetInt("port", 0);
        var connections = options.GetInt("connections", 64);
        var pipeline = options.GetInt("pipeline", 16);
        var seconds = options.GetDouble("seconds", 15);
        var bucketMs = options.GetInt("bucket-ms", 100);
        var readyFile = options.GetString("ready-file");
        var spawnFile = options.GetString("spawn-file");
        var request = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat(
            $"GET /plaintext HTTP/1.1\r\nHost: {host}:{port}\r\nAccept: text/plain\r\n\r\n", pipeline)));

        await SelfWarmAsync(connections, pipeline, ct);
        File.WriteAllText(readyFile, "ready\n");

        // Wait for the spawn time, then for the port to accept (connect attempts to a closed port fail at once).
        long spawnNs;
        while (!TryReadSpawn(spawnFile, out spawnNs))
        {
            await Task.Delay(1, ct);
        }
        var clock = Stopwatch.StartNew();
        var clockAtNs = DateTime.UtcNow.Subtract(DateTime.UnixEpoch).Ticks * 100;
        double SinceSpawnMs() => (clockAtNs - spawnNs) / 1e6 + clock.Elapsed.TotalMilliseconds;

        var endpoint = new IPEndPoint(IPAddress.Parse(host), port);
        var first = await ConnectWhenAcceptingAsync(endpoint, seconds * 1000 - SinceSpawnMs(), SinceSpawnMs, ct);
        if (first is null)
        {
            Console.Error.WriteLine($"loadclient: coldstart: port {port} did not accept within {seconds} s of the spawn");
            return 1;
        }
        var acceptMs = SinceSpawnMs();
        var buckets = new long[(int)(seconds * 1000 / bucketMs) + 2];
        var endMs = seconds * 1000;
        var counters = new ResponseCounter[connections];
        var loops = new Task[connections];
        for (var c = 0; c < connections; c++)
        {
            counters[c] = new ResponseCounter();
            var socket = c == 0 ? first : null;
            var counter = counters[c];
            loops[c] = Task.Run(() => DriveAsync(socket, endpoint, request, pipeline, counter, buckets, bucketMs, endMs, SinceSpawnMs, ct), ct);
        }
        await Task.WhenAll(loops);

        var perBucket = buckets.Take((int)(endMs / bucketMs)).ToArray();
        var perSecond = Enumerable.Range(0, (int)seconds).Select(s => perBucket.Skip(s * 1000 / bucketMs).Take(1000 / bucketMs).Sum()).ToArray();
        var lastFive = perSecond.Skip(Math.Max(0, perSecond.Length - 5)).Order().ToArray();
        var steady = lastFive.Length == 0 ? 0 : lastFive[lastFive.Length / 2];
        var acceptBucket = (int)(acceptMs / bucketMs);
        var firstSecond = perBucket.Skip(acceptBucket).Take(1000 / bucketMs).Sum();
        var window = Math.Max(1, 500 / bucketMs);
        double t90 = -1;
        for (var b = acceptBucket; b + window <= perBucket.Length; b++)
        {
            var rate = perBucket.Skip(b).Take(window).Sum() * 1000.0 / (window * bucketMs);
            if (rate >= 0.9 * steady)
            {
                t90 = (b + window) * bucketMs;
                break;
            }
        }

        Report.Value("accept_ms", acceptMs);
        Report.Value("first_second_rps", firstSecond);
        Report.Value("steady_rps", steady);
        Report.Value("t90_ms", t90);
        Report.Value("responses", perBucket.Sum());
        Report.Value("non2xx", counters.Sum(c => c.Non2xx));
        Report.Value("per_second", string.Join(',', perSecond));
        Report.Value($"per_{bucketMs}ms", string.Join(',', perBucket));
        return t90 < 0 || counters.Sum(c => c.Non2xx) > 0 ? 1 : 0;
    }

    private static bool TryReadSpawn(string path, out long spawnNs)
    {
        spawnNs = 0;
        try
        {
            return File.Exists(path) && long.TryParse(File.ReadAllText(path).Trim(), out spawnNs);
        }
        catch (IOException)
        {
            return false; // being written
        }
    }

    private static async Task<Socket?> ConnectWhenAcceptingAsync(IPEndPoint endpoint, double budgetMs, Func<double> nowMs, CancellationToken ct)
    {
        var deadline = nowMs() + budgetMs;
        while (nowMs() < deadline)
        {
            var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(endpoint, ct);
                return socket;
            }
            catch (SocketException)
            {
                socket.Dispose();
                await Task.Delay(1, ct);
            }
        }
        return null;
    }

    // One connection: write `pipeline` requests, read until as many responses are complete, count them, repeat.
    private static async Task DriveAsync(Socket? socket, IPEndPoint endpoint, byte[] request, int pipeline, ResponseCounter counter,
        long[] buckets, int bucketMs, double endMs, Func<double> nowMs, CancellationToken ct)
    {
        var buffer = new byte[64 * 1024];
        while (nowMs() < endMs)
        {
            try
            {
                socket ??= await ConnectWhenAcceptingAsync(endpoint, endMs - nowMs(), nowMs, ct);
                if (socket is null)
                {
                    return;
                }
                while (nowMs() < endMs)
                {
                    await socket.SendAsync(request, SocketFlags.None, ct);
                    var done = 0;
                    while (done < pipeline)
                    {
                        var read = await socket.ReceiveAsync(buffer, SocketFlags.None, ct);
                        if (read == 0)
                        {
                            throw new SocketException((int)SocketError.ConnectionReset);
                        }
                        var completed = counter.Feed(buffer.AsSpan(0, read));
                        if (completed > 0)
                        {
                            done += completed;
                            var bucket = (int)(nowMs() / bucketMs);
                            if (bucket < buckets.Length)
                            {
                                Interlocked.Add(ref buckets[bucket], completed);
                            }
                        }
                    }
                }
            }
            catch (SocketException)
            {
                // A server still starting may reset early connections: reconnect (a fresh counter state is not
                // needed, a reset connection left no partial response worth keeping).
                socket?.Dispose();
                socket = null;
            }
        }
        socket?.Dispose();
    }

    // Runs the same loop for about a second against canned responses from an in-process listener, so the client's
    // own code is tiered up before the server under test starts.
    private static async Task SelfWarmAsync(int connections, int pipeline, CancellationToken ct)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(connections);
        var endpoint = (IPEndPoint)listener.LocalEndPoint!;
        var response = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat(
            "HTTP/1.1 200 OK\r\nContent-Length: 13\r\nContent-Type: text/plain\r\n\r\nHello, World!", pipeline)));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var serve = Task.Run(async () =>
        {
            var served = new List<Task>();
            try
            {
                while (true)
                {
                    var peer = await listener.AcceptAsync(stop.Token);
                    served.Add(Task.Run(async () =>
                    {
                        var buffer = new byte[64 * 1024];
                        using (peer)
                        {
                            try
                            {
                                // One canned burst per read: enough to exercise the client, not an HTTP server.
                                while (await peer.ReceiveAsync(buffer, SocketFlags.None, stop.Token) > 0)
                                {
                                    await peer.SendAsync(response, SocketFlags.None, stop.Token);
                                }
                            }
                            catch (Exception ex) when (ex is OperationCanceledException or SocketException)
                            {
                            }
                        }
                    }));
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException)
            {
            }
            await Task.WhenAll(served);
        });
        var clock = Stopwatch.StartNew();
        var request = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("GET /plaintext HTTP/1.1\r\nHost: x\r\n\r\n", pipeline)));
        var buckets = new long[64];
        var loops = Enumerable.Range(0, Math.Min(connections, 8)).Select(_ => Task.Run(() =>
            DriveAsync(null, endpoint, request, pipeline, new ResponseCounter(), buckets, 1000, 1000, () => clock.Elapsed.TotalMilliseconds, ct))).ToArray();
        await Task.WhenAll(loops);
        stop.Cancel();
        await serve;
    }
}
