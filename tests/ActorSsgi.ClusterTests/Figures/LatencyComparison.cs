using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using ActorSsgi.ClusterReference;
using ActorSsgi.ClusterTests.Fixtures;

namespace ActorSsgi.ClusterTests.Figures;

/// <summary>
/// <c>figures-latency</c>: cross-node chat latency through ActorSsgi (LatencyProbe: WebSocket sender on node 1,
/// receiver on node 2) side by side with bare Akka.Cluster + DistributedPubSub (tests/ActorSsgi.ClusterReference:
/// publisher on node 1, subscriber on node 2), three loopback processes each, the same rates, durations and GC mode.
/// Besides the percentiles, each window reports what could explain its tail, measured rather than guessed: every GC
/// pause of every process involved (a startup hook logs them on the shared monotonic clock) and which slow messages
/// overlapped one, and each process's CPU time and run-queue wait (/proc). Knobs, as environment variables:
/// <list type="bullet">
/// <item><c>FIGURES_RUNS</c> (3), <c>FIGURES_SECONDS</c> (5), <c>FIGURES_RATES</c> (1000,10000);</item>
/// <item><c>FIGURES_WARMUP</c> (10): seconds at 1,000 msg/s sent and discarded first on each fresh cluster, so that
/// neither system's first row measures JIT tiering and the cluster's own start-up work;</item>
/// <item><c>FIGURES_NODE_ENV</c>: space-separated K=V set for the node processes only (for example
/// <c>DOTNET_gcServer=1</c> or <c>DOTNET_GCgen0size=0x4000000</c>), not for this measuring process;</item>
/// <item><c>FIGURES_AKKA_HOCON</c>: HOCON added over akka.hocon on the demo nodes and over the reference's settings;</item>
/// <item><c>FIGURES_ONLY</c>: <c>actorssgi</c> or <c>reference</c> to run one side.</item>
/// </list>
/// </summary>
public static class LatencyComparison
{
    /// <summary>A message slower than this counts as slow (the issue's 5 ms target for p99 at 1,000 msg/s).</summary>
    private const double SlowMs = 5;

    public static async Task<int> RunAsync()
    {
        var runs = Setting("FIGURES_RUNS", 3);
        var duration = TimeSpan.FromSeconds(Setting("FIGURES_SECONDS", 5));
        var warmUp = TimeSpan.FromSeconds(Setting("FIGURES_WARMUP", 10));
        var rates = (Environment.GetEnvironmentVariable("FIGURES_RATES") ?? "1000,10000").Split(',').Select(r => int.Parse(r, CultureInfo.InvariantCulture)).ToArray();
        var only = Environment.GetEnvironmentVariable("FIGURES_ONLY");
        var hocon = Environment.GetEnvironmentVariable("FIGURES_AKKA_HOCON") ?? "";
        var clientPauses = new ConcurrentQueue<string>();
        GcPauseLog.Start(clientPauses.Enqueue);
        PrepareNodeEnvironment();
        var demoSettings = hocon.Length == 0 ? [] : new[] { $"ActorSsgi:AkkaHocon={WriteDemoHocon(hocon)}" };
        Console.WriteLine($"node env: {Environment.GetEnvironmentVariable("FIGURES_NODE_ENV") ?? "(none)"}; extra HOCON: {(hocon.Length == 0 ? "(none)" : hocon)}");

        var table = new List<(int Run, int Rate, Window? Ssgi, Window? Reference)>();
        for (var run = 1; run <= runs; run++)
        {
            Console.WriteLine($"--- run {run}/{runs}, load average {File.ReadAllText("/proc/loadavg").Trim()}");
            var ssgi = new Dictionary<int, Window>();
            var reference = new Dictionary<int, Window>();
            if (only is null or "actorssgi")
            {
                await using var cluster = await TestCluster.StartAsync(3, demoSettings);
                var processes = new[]
                {
                    new Proc("node1", cluster[0].Pid, () => Lines(cluster[0].Output)),
                    new Proc("node2", cluster[1].Pid, () => Lines(cluster[1].Output)),
                    new Proc("node3", cluster[2].Pid, () => Lines(cluster[2].Output)),
                    new Proc("client", Environment.ProcessId, () => clientPauses),
                };
                if (warmUp > TimeSpan.Zero)
                {
                    await LatencyProbe.RunSamplesAsync(cluster[0], cluster[1], 1_000, warmUp);
                }

                foreach (var rate in rates)
                {
                    ssgi[rate] = await Window.MeasureAsync("ActorSsgi", rate, processes, () => LatencyProbe.RunSamplesAsync(cluster[0], cluster[1], rate, duration));
                    Console.WriteLine(ssgi[rate]);
                }
            }

            if (only is null or "reference")
            {
                await using var cluster = await ReferenceCluster.StartAsync(TimeSpan.FromSeconds(90), hocon);
                var processes = cluster.Pids.Select((pid, i) => new Proc($"node{i + 1}", pid, () => cluster.Output(i))).ToArray();
                if (warmUp > TimeSpan.Zero)
                {
                    await cluster.RunAsync(1_000, warmUp);
                }

                foreach (var rate in rates)
                {
                    reference[rate] = await Window.MeasureAsync("reference", rate, processes, () => cluster.RunAsync(rate, duration));
                    Console.WriteLine(reference[rate]);
                }
            }

            table.AddRange(rates.Select(rate => (run, rate, ssgi.GetValueOrDefault(rate), reference.GetValueOrDefault(rate))));
        }

        Console.WriteLine();
        Console.WriteLine("| run | rate (msg/s) | ActorSsgi p50 / p99 (ms) | reference p50 / p99 (ms) | p99 ratio |");
        Console.WriteLine("|---|---|---|---|---|");
        foreach (var (run, rate, s, r) in table)
        {
            var ratio = s is not null && r is not null ? (s.P99 / r.P99).ToString("0.0", CultureInfo.InvariantCulture) + "x" : "-";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {run} | {rate:N0} | {Pair(s)} | {Pair(r)} | {ratio} |"));
        }

        return 0;

        static string Pair(Window? w) => w is null ? "-" : string.Create(CultureInfo.InvariantCulture, $"{w.P50:0.00} / {w.P99:0.0}");
    }

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), CultureInfo.InvariantCulture, out var value) ? value : fallback;

    private static IEnumerable<string> Lines(string output) => output.Split('\n');

    /// <summary>
    /// The node processes inherit this environment: the startup hook that logs their GC pauses, and the experiment's
    /// variables. Set here, after this process started, so they change the nodes and not the measuring client.
    /// </summary>
    private static void PrepareNodeEnvironment()
    {
        Environment.SetEnvironmentVariable("DOTNET_STARTUP_HOOKS", Path.Combine(AppContext.BaseDirectory, "ActorSsgi.ClusterReference.dll"));
        foreach (var pair in (Environment.GetEnvironmentVariable("FIGURES_NODE_ENV") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=');
            Environment.SetEnvironmentVariable(pair[..equals], pair[(equals + 1)..]);
        }
    }

    /// <summary>akka.hocon with <paramref name="hocon"/> after it (later wins), for ActorSsgi:AkkaHocon.</summary>
    private static string WriteDemoHocon(string hocon)
    {
        var path = Path.Combine(Path.GetTempPath(), $"figures-akka-{Environment.ProcessId}.hocon");
        File.WriteAllText(path, File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "akka.hocon")) + "\n" + hocon + "\n");
        return path;
    }

    private sealed record Proc(string Name, int Pid, Func<IEnumerable<string>> Output);

    private sealed record Pause(string Process, long Start, long Duration, int Generation, int Reason)
    {
        public bool Overlaps(long from, long to) => Start < to && Start + Duration > from;
    }

    /// <summary>One system at one rate: the latency figures and what the processes did meanwhile.</summary>
    private sealed class Window
    {
        private readonly StringBuilder _text = new();

        public double P50 { get; private init; }

        public double P99 { get; private init; }

        public static async Task<Window> MeasureAsync(string system, int rate, Proc[] processes, Func<Task<LatencySamples>> run)
        {
            var before = processes.Select(p => ProcessCost.Read(p.Pid)).ToArray();
            var samples = await run();
            var cost = processes.Select((p, i) => ProcessCost.Read(p.Pid) - before[i]).ToArray();
            var from = samples.Sent.Length > 0 ? samples.Sent.Min() : 0;
            var to = samples.Arrived.Length > 0 ? samples.Arrived.Max() : 0;
            var pauses = processes.SelectMany(p => p.Output().ToArray().Select(line =>
                    GcPauseLog.TryParse(line, out var start, out var length, out var generation, out var reason) ? new Pause(p.Name, start, length, generation, reason) : null))
                .OfType<Pause>()
                .Where(p => p.Overlaps(from, to))
                .ToArray();

            var ms = samples.Milliseconds();
            var sorted = ms.Order().ToArray();
            var hit = new bool[ms.Length];
            var slowHitBy = processes.ToDictionary(p => p.Name, _ => 0);
            var slow = 0;
            var slowHit = 0;
            for (var i = 0; i < ms.Length; i++)
            {
                var by = pauses.Where(p => p.Overlaps(samples.Sent[i], samples.Arrived[i])).Select(p => p.Process).Distinct().ToArray();
                hit[i] = by.Length > 0;
                if (ms[i] > SlowMs)
                {
                    slow++;
                    slowHit += hit[i] ? 1 : 0;
                    foreach (var name in by)
                    {
                        slowHitBy[name]++;
                    }
                }
            }

            var clean = ms.Where((_, i) => !hit[i]).Order().ToArray();
            var window = new Window { P50 = LatencySamples.Percentile(sorted, 0.50), P99 = LatencySamples.Percentile(sorted, 0.99) };
            var t = window._text;
            var seconds = (to - from) / (double)System.Diagnostics.Stopwatch.Frequency;
            t.Append(CultureInfo.InvariantCulture, $"{system} {rate}/s: {samples}, p90 {LatencySamples.Percentile(sorted, 0.90):0.00} ms\n");
            t.Append(CultureInfo.InvariantCulture, $"  slow (> {SlowMs} ms): {slow} ({100.0 * slow / Math.Max(1, ms.Length):0.00}%), {slowHit} of them overlap a GC pause (by process: {string.Join(", ", slowHitBy.Select(kv => $"{kv.Key} {kv.Value}"))}); ");
            t.Append(CultureInfo.InvariantCulture, $"p99 of the messages no pause touched {LatencySamples.Percentile(clean, 0.99):0.00} ms ({clean.Length} of {ms.Length})\n");
            t.Append(CultureInfo.InvariantCulture, $"  CPU of these processes {cost.Sum(c => c.CpuMs) * 1000 / Math.Max(1, ms.Length):0} us/msg (includes any wait for missing messages)\n");
            if (samples.Count < samples.Expected)
            {
                t.Append(CultureInfo.InvariantCulture, $"  lost {samples.Expected - samples.Count}: {Gaps(samples, rate)}; logs {SaveLogs(system, rate, processes)}\n");
                foreach (var p in processes)
                {
                    // The demo nodes' ActorSsgi counters, latest total of each (MeterTotals, from the startup hook).
                    var meters = p.Output().Where(l => l.StartsWith("meter ", StringComparison.Ordinal))
                        .Select(l => l.Split(' ')).GroupBy(f => f[1]).Select(g => $"{g.Key} {g.Last()[2]}").ToArray();
                    if (meters.Length > 0)
                    {
                        t.Append(CultureInfo.InvariantCulture, $"    {p.Name} counters: {string.Join(", ", meters)}\n");
                    }
                }
            }

            foreach (var (p, c) in processes.Zip(cost))
            {
                var own = pauses.Where(x => x.Process == p.Name).ToArray();
                t.Append(CultureInfo.InvariantCulture,
                    $"  {p.Name}: GC {own.Length} pauses (gen0/1/2 {own.Count(x => x.Generation == 0)}/{own.Count(x => x.Generation == 1)}/{own.Count(x => x.Generation == 2)}{Gen2Reasons(own)}), " +
                    $"{own.Sum(x => x.Duration) * 1000.0 / System.Diagnostics.Stopwatch.Frequency:0.0} ms total, max {(own.Length == 0 ? 0 : own.Max(x => x.Duration) * 1000.0 / System.Diagnostics.Stopwatch.Frequency):0.0} ms; " +
                    $"CPU {c.CpuMs:0} ms ({c.CpuMs * 1000 / Math.Max(1, ms.Length):0} us/msg, {c.CpuMs / 10 / Math.Max(0.001, seconds):0}% of a core), run-queue wait {c.RunQueueWaitMs:0} ms\n");
            }

            return window;
        }

        public override string ToString() => _text.ToString().TrimEnd();

        // Where in the run the missing messages were sent: the send stamps of those that arrived are in sequence
        // order, so a stretch of send time with fewer arrivals than the rate is where they went missing.
        private static string Gaps(LatencySamples samples, int rate)
        {
            if (samples.Count == 0)
            {
                return "none arrived";
            }

            var first = samples.Sent.Min();
            var bucket = System.Diagnostics.Stopwatch.Frequency / 10;
            var counts = samples.Sent.GroupBy(s => (s - first) / bucket).ToDictionary(g => g.Key, g => g.Count());
            var buckets = samples.Expected * 10 / rate;
            var short_ = Enumerable.Range(0, (int)buckets).Select(b => (At: b / 10.0, Missing: rate / 10 - counts.GetValueOrDefault(b)))
                .Where(b => b.Missing > rate / 100).Select(b => string.Create(CultureInfo.InvariantCulture, $"{b.Missing} sent at {b.At:0.0} s")).ToArray();
            return short_.Length == 0 ? "spread thinly over the run" : string.Join(", ", short_.Take(8));
        }

        private static string SaveLogs(string system, int rate, Proc[] processes)
        {
            var directory = Directory.CreateTempSubdirectory($"figures-latency-{system}-{rate}-").FullName;
            foreach (var p in processes)
            {
                File.WriteAllLines(Path.Combine(directory, p.Name + ".log"), p.Output().Where(l => !l.StartsWith(GcPauseLog.Prefix, StringComparison.Ordinal)));
            }

            return directory;
        }

        // Why the full collections happened (the GCStart reason codes), since they are the long pauses.
        private static string Gen2Reasons(Pause[] pauses) =>
            pauses.Any(p => p.Generation == 2) ? $" reasons {string.Join(",", pauses.Where(p => p.Generation == 2).Select(p => p.Reason))}" : "";
    }
}
