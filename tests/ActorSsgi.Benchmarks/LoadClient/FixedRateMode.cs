using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using HdrHistogram;

namespace LoadClient;

/// <summary>
/// Open-loop latency at a constant request rate (wrk2's method): request k is scheduled at start + k / --rate and
/// assigned to connection k mod --connections (HTTP/1.1 keep-alive, no pipelining). A pacer thread sends each request
/// at its scheduled time; if its connection still waits for the previous response, the request is sent the moment
/// that response completes. Latency is measured from the SCHEDULED time, so a stalled server is charged for every
/// request it delayed (no coordinated omission). The latency from the actual send ("service time") is reported too.
/// Samples scheduled in the first --warmup-seconds are not recorded.
/// </summary>
internal static partial class FixedRateMode
{
    public static async Task<int> RunAsync(Options options, CancellationToken ct)
    {
        var uri = new Uri(options.GetString("url"));
        var connections = options.GetInt("connections", 64);
        var rate = options.GetDouble("rate", 10_000);
        var seconds = options.GetDouble("seconds", 10);
        var warmup = options.GetDouble("warmup-seconds", 2);
        var request = Encoding.ASCII.GetBytes($"GET {uri.PathAndQuery} HTTP/1.1\r\nHost: {uri.Authority}\r\nAccept: text/plain\r\n\r\n");
        var endpoint = new IPEndPoint(IPAddress.Parse(uri.Host), uri.Port);

        var channels = new Connection[connections];
        for (var c = 0; c < connections; c++)
        {
            var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(endpoint, ct);
            channels[c] = new Connection(socket, request);
        }

        var total = (long)(rate * (warmup + seconds));
        var ticksPerRequest = Stopwatch.Frequency / rate;
        var start = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 100; // 10 ms to get the receivers going
        var recordFrom = start + (long)(warmup * Stopwatch.Frequency);
        var receivers = channels.Select(c => Task.Run(() => c.ReceiveAsync(recordFrom, ct), ct)).ToArray();

        var pacer = new Thread(() => Pace(channels, start, ticksPerRequest, total, ct)) { IsBackground = true, Name = "pacer" };
        pacer.Start();
        await Task.Run(pacer.Join, ct);

        // Every request is sent or queued; give the last responses up to 5 s, then count what is missing.
        var drainUntil = Stopwatch.GetTimestamp() + 5 * Stopwatch.Frequency;
        while (channels.Any(c => c.Busy) && Stopwatch.GetTimestamp() < drainUntil)
        {
            await Task.Delay(5, ct);
        }
        var missing = channels.Sum(c => c.Outstanding);
        foreach (var c in channels)
        {
            c.Socket.Dispose();
        }
        await Task.WhenAll(receivers.Select(r => r.ContinueWith(_ => { }, TaskScheduler.Default)));

        var corrected = new LongHistogram(60_000_000, 3);
        var service = new LongHistogram(60_000_000, 3);
        foreach (var c in channels)
        {
            corrected.Add(c.Corrected);
            service.Add(c.Service);
        }
        Report.Value("rate_asked", rate);
        Report.Value("connections", connections);
        Report.Value("recorded", corrected.TotalCount);
        Report.Value("achieved_rps", corrected.TotalCount / seconds);
        Report.Value("missing", missing);
        Report.Value("non2xx", channels.Sum(c => c.Counter.Non2xx));
        foreach (var (name, percentile) in new[] { ("p50", 50.0), ("p90", 90.0), ("p99", 99.0), ("p999", 99.9) })
        {
            Report.Value($"{name}_us", corrected.GetValueAtPercentile(percentile));
            Report.Value($"service_{name}_us", service.GetValueAtPercentile(percentile));
        }
        Report.Value("max_us", corrected.GetMaxValue());
        Report.Value("service_max_us", service.GetMaxValue());
        return missing > 0 || channels.Sum(c => c.Counter.Non2xx) > 0 ? 1 : 0;
    }

    // Sends request k at start + k * ticksPerRequest. Sleeps with nanosleep between sends (Thread.Sleep and timers
    // have 1 ms granularity, which would add up to a millisecond to every scheduled-time latency; nanosleep wakes
    // within the kernel's ~50 µs timer slack), and sends everything that has come due at each wake-up.
    private static void Pace(Connection[] channels, long start, double ticksPerRequest, long total, CancellationToken ct)
    {
        long k = 0;
        while (k < total && !ct.IsCancellationRequested)
        {
            var now = Stopwatch.GetTimestamp();
            long due;
            while (k < total && (due = start + (long)(k * ticksPerRequest)) <= now)
            {
                channels[k % channels.Length].Schedule(due);
                k++;
            }
            if (k < total)
            {
                var waitTicks = start + (long)(k * ticksPerRequest) - Stopwatch.GetTimestamp();
                if (waitTicks > 0)
                {
                    var ns = waitTicks * 1_000_000_000 / Stopwatch.Frequency;
                    var spec = new TimeSpec { Seconds = ns / 1_000_000_000, Nanoseconds = ns % 1_000_000_000 };
                    _ = NanoSleep(ref spec, IntPtr.Zero);
                }
            }
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "nanosleep")]
    private static partial int NanoSleep(ref TimeSpec request, IntPtr remaining);

    /// <summary>One keep-alive connection: at most one request in flight, the due ones queued behind it.</summary>
    private sealed class Connection(Socket socket, byte[] request)
    {
        private readonly Lock _lock = new();
        private readonly Queue<long> _queued = new();
        private bool _inFlight;
        private long _scheduled;
        private long _sent;

        public Socket Socket { get; } = socket;

        public ResponseCounter Counter { get; } = new();

        public LongHistogram Corrected { get; } = new(60_000_000, 3);

        public LongHistogram Service { get; } = new(60_000_000, 3);

        public bool Busy
        {
            get
            {
                lock (_lock)
                {
                    return _inFlight;
                }
            }
        }

        public int Outstanding
        {
            get
            {
                lock (_lock)
                {
                    return _queued.Count + (_inFlight ? 1 : 0);
                }
            }
        }

        public void Schedule(long scheduled)
        {
            lock (_lock)
            {
                if (_inFlight || Failed)
                {
                    _queued.Enqueue(scheduled); // a failed connection's requests stay queued: reported as missing
                    return;
                }
                try
                {
                    SendLocked(scheduled);
                }
                catch (SocketException)
                {
                    Failed = true; // the server closed it; the pacer goes on with the other connections
                }
            }
        }

        public bool Failed { get; private set; }

        private void SendLocked(long scheduled)
        {
            _inFlight = true;
            _scheduled = scheduled;
            _sent = Stopwatch.GetTimestamp();
            Socket.Send(request); // a few dozen bytes into an idle socket's buffer: does not block
        }

        public async Task ReceiveAsync(long recordFrom, CancellationToken ct)
        {
            var buffer = new byte[16 * 1024];
            while (true)
            {
                var read = await Socket.ReceiveAsync(buffer, SocketFlags.None, ct);
                if (read == 0)
                {
                    return;
                }
                var completed = Counter.Feed(buffer.AsSpan(0, read));
                if (completed == 0)
                {
                    continue;
                }
                var now = Stopwatch.GetTimestamp();
                lock (_lock)
                {
                    if (completed > 1 || !_inFlight)
                    {
                        throw new InvalidDataException("more responses than requests on one connection");
                    }
                    if (_scheduled >= recordFrom)
                    {
                        Corrected.RecordValue(Math.Max(0, (now - _scheduled) * 1_000_000 / Stopwatch.Frequency));
                        Service.RecordValue(Math.Max(0, (now - _sent) * 1_000_000 / Stopwatch.Frequency));
                    }
                    _inFlight = false;
                    if (_queued.TryDequeue(out var next))
                    {
                        SendLocked(next);
                    }
                }
            }
        }
    }
}
