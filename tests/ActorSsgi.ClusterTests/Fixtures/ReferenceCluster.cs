using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using ActorSsgi.ClusterTests.Figures;

namespace ActorSsgi.ClusterTests.Fixtures;

/// <summary>
/// Three tests/ActorSsgi.ClusterReference processes on loopback (bare Akka.Cluster + DistributedPubSub): node 1
/// publishes, node 2 subscribes, node 3 is a member. Node 1 is driven over its stdin; nodes 2 and 3 exit when their
/// stdin closes, and every process is killed on dispose.
/// </summary>
public sealed class ReferenceCluster : IAsyncDisposable
{
    private readonly Process[] _processes;
    private readonly ConcurrentQueue<string>[] _output;
    private readonly Channel<string> _replies;
    private readonly string _samplesDirectory;

    private ReferenceCluster(Process[] processes, ConcurrentQueue<string>[] output, Channel<string> replies, string samplesDirectory)
    {
        _processes = processes;
        _output = output;
        _replies = replies;
        _samplesDirectory = samplesDirectory;
    }

    public IReadOnlyList<int> Pids => _processes.Select(p => p.Id).ToArray();

    /// <summary>Every line process <paramref name="index"/> (0-based) wrote so far.</summary>
    public IEnumerable<string> Output(int index) => _output[index];

    public static async Task<ReferenceCluster> StartAsync(TimeSpan timeout, string extraHocon = "")
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "ActorSsgi.ClusterReference.dll");
        var ports = FreePorts.Take(3);
        var samples = Directory.CreateTempSubdirectory("clusterref-").FullName;
        var output = Enumerable.Range(0, 3).Select(_ => new ConcurrentQueue<string>()).ToArray();
        var replies = Channel.CreateUnbounded<string>();
        var processes = new Process[3];
        for (var i = 0; i < 3; i++)
        {
            var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = AppContext.BaseDirectory,
            };
            foreach (var arg in new[] { dll, "--node", $"{i + 1}", "--port", $"{ports[i]}", "--seed-port", $"{ports[0]}", "--samples-dir", samples, "--extra-hocon", extraHocon })
            {
                start.ArgumentList.Add(arg);
            }

            var lines = output[i];
            var isPublisher = i == 0;
            var process = new Process { StartInfo = start };
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is { } line)
                {
                    lines.Enqueue(line);
                    if (isPublisher && (line == "ready" || line.StartsWith("done ", StringComparison.Ordinal)))
                    {
                        replies.Writer.TryWrite(line);
                    }
                }
            };
            process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is { } line)
                {
                    lines.Enqueue(line);
                }
            };
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            processes[i] = process;
        }

        var cluster = new ReferenceCluster(processes, output, replies, samples);
        try
        {
            var first = await cluster.NextReplyAsync(timeout);
            if (first != "ready")
            {
                throw new InvalidOperationException($"The reference publisher said '{first}' instead of ready.");
            }
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }

        return cluster;
    }

    /// <summary>Node 1 publishes at <paramref name="rate"/> for <paramref name="duration"/>; node 2's samples come back.</summary>
    public async Task<LatencySamples> RunAsync(int rate, TimeSpan duration)
    {
        await _processes[0].StandardInput.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"run {rate} {duration.TotalSeconds}"));
        await _processes[0].StandardInput.FlushAsync();
        // "done RATE ACHIEVED samples COUNT FILE"
        var reply = (await NextReplyAsync(duration + TimeSpan.FromSeconds(60))).Split(' ');
        var bytes = await File.ReadAllBytesAsync(reply[5]);
        var count = bytes.Length / 16;
        var sent = new long[count];
        var arrived = new long[count];
        for (var i = 0; i < count; i++)
        {
            sent[i] = BitConverter.ToInt64(bytes, i * 16);
            arrived[i] = BitConverter.ToInt64(bytes, i * 16 + 8);
        }

        var expected = (int)(rate * duration.TotalSeconds);
        return new LatencySamples(sent, arrived, expected, double.Parse(reply[2], CultureInfo.InvariantCulture), TimedOut: count < expected);
    }

    private async Task<string> NextReplyAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            return await _replies.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The reference publisher did not answer within {timeout}:\n{string.Join("\n", _output[0])}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
                }
            }
            catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
            {
                // Exited meanwhile, or will be reaped with us.
            }

            process.Dispose();
        }

        Directory.Delete(_samplesDirectory, recursive: true);
    }
}
