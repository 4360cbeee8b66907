using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace ActorSsgi.FunctionalTests.Fixtures;

/// <summary>
/// The demo as a real process (<c>dotnet ActorSsgi.Demo.dll</c>, copied next to the tests by the project
/// reference): for what only a process shows, its own memory and its reaction to SIGTERM. It binds port 0 and the
/// bound address is read from its "ActorSsgi listening on ..." log line.
/// </summary>
public sealed partial class DemoProcess : IAsyncDisposable
{
    private const int SIGTERM = 15;

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private DemoProcess(Process process) => _process = process;

    public int Pid => _process.Id;

    public Uri BaseAddress { get; private set; } = null!;

    public IPEndPoint EndPoint => DemoServer.EndPointOf(BaseAddress);

    public bool HasExited => _process.HasExited;

    /// <summary>Everything the process wrote so far (stdout and stderr), for failure messages.</summary>
    public string Output => string.Join("\n", _output);

    public static async Task<DemoProcess> StartAsync(params string[] settings)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "ActorSsgi.Demo.dll");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(dll);
        foreach (var arg in new[] { "--urls", "http://127.0.0.1:0" }.Concat(settings.Select(s => "--" + s)))
        {
            start.ArgumentList.Add(arg);
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var demo = new DemoProcess(process);
        process.OutputDataReceived += (_, e) => demo.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => demo.OnLine(e.Data);
        process.Exited += (_, _) => demo._listening.TrySetException(new InvalidOperationException($"The demo exited early:\n{demo.Output}"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            demo.BaseAddress = await demo._listening.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch
        {
            await demo.DisposeAsync();
            throw;
        }

        return demo;
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        if (ListeningLine().Match(line) is { Success: true } match)
        {
            _listening.TrySetResult(new Uri(match.Groups[1].Value));
        }
    }

    /// <summary>Sends SIGTERM, as an orchestrator stopping the service would (Process.Kill sends SIGKILL).</summary>
    public void Terminate()
    {
        if (kill(_process.Id, SIGTERM) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, SIGTERM) failed: errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    /// <summary>The process's resident set size now (VmRSS in /proc/PID/status), in bytes.</summary>
    public long ResidentBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0]) * 1024;
            }
        }

        throw new InvalidOperationException("No VmRSS line in /proc/PID/status.");
    }

    /// <summary>Waits for the process to exit; null when it did not within <paramref name="timeout"/>.</summary>
    public async Task<int?> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            return _process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await WaitForExitAsync(TimeSpan.FromSeconds(10));
        }

        _process.Dispose();
    }

    [GeneratedRegex(@"ActorSsgi listening on (https?://\S+)")]
    private static partial Regex ListeningLine();

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);
}
