using System.Collections.Concurrent;
using System.Diagnostics;

namespace ActorSsgi.ClusterTests.Fixtures;

/// <summary>
/// nginx (Debian's nginx-light) in front of demo nodes, run in the foreground from config/nginx.example.conf with its
/// example ports replaced by the test's, and its pid and temporary files in a directory of its own.
/// </summary>
public sealed class Nginx : IAsyncDisposable
{
    public const string Binary = "/usr/sbin/nginx";

    private readonly Process _process;
    private readonly string _prefix;
    private readonly ConcurrentQueue<string> _output = new();

    private Nginx(Process process, string prefix, Uri baseAddress)
    {
        _process = process;
        _prefix = prefix;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public string Output => string.Join("\n", _output);

    public Uri Ws(string pathAndQuery) => new($"ws://{BaseAddress.Authority}{pathAndQuery}");

    public static async Task<Nginx> StartAsync(IReadOnlyList<Uri> upstreams, HttpClient http)
    {
        if (!File.Exists(Binary))
        {
            throw new InvalidOperationException($"{Binary} is missing: apt-get install nginx-light (tests/run.sh does).");
        }

        var port = FreePorts.Take(1)[0];
        var conf = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "nginx.example.conf"))
            .Replace("listen 127.0.0.1:8080;", $"listen 127.0.0.1:{port};", StringComparison.Ordinal)
            .Replace("server 127.0.0.1:8081 ", $"server {upstreams[0].Authority} ", StringComparison.Ordinal)
            .Replace("server 127.0.0.1:8082 ", $"server {upstreams[1].Authority} ", StringComparison.Ordinal);
        var prefix = Directory.CreateTempSubdirectory("actorssgi-nginx-").FullName;
        var path = Path.Combine(prefix, "nginx.conf");
        File.WriteAllText(path, conf);

        var start = new ProcessStartInfo(Binary) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[] { "-p", prefix, "-c", path })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("nginx did not start.");
        var nginx = new Nginx(process, prefix, new Uri($"http://127.0.0.1:{port}"));
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) nginx._output.Enqueue(e.Data); };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) nginx._output.Enqueue(e.Data); };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            await Eventually.Until(
                async () => (int)(await http.GetAsync(new Uri(nginx.BaseAddress, "/plaintext"))).StatusCode,
                status => status == 200,
                TimeSpan.FromSeconds(15),
                "nginx to proxy /plaintext");
        }
        catch (Exception ex)
        {
            await nginx.DisposeAsync();
            throw new InvalidOperationException($"nginx did not come up:\n{nginx.Output}", ex);
        }

        return nginx;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                // nginx's master takes its workers down with it on SIGKILL of the tree.
                _process.Kill(entireProcessTree: true);
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _process.WaitForExitAsync(timeout.Token);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_prefix, recursive: true);
        }
        catch (IOException)
        {
            // A worker still held a temp file; /tmp is cleaned eventually.
        }
    }
}
