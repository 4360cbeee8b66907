using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace ActorSsgi.Tests.Shared;

/// <summary>
/// The demo as a real process (<c>dotnet ActorSsgi.Demo.dll</c>, copied next to the tests by the project
/// reference), for what only a separate process shows: its memory, its signals, a cluster of several nodes.
/// It binds HTTP to port 0 and the bound address is read from its "ActorSsgi listening on ..." log line.
/// </summary>
/// <remarks>
/// Compiled into each test project that needs it (a <c>Compile Include="../Shared/**/*.cs"</c> item) rather than put
/// in a library: the suites' own fixtures wrap it, and a shared test assembly would be one more project for two
/// callers.
/// </remarks>
internal sealed partial class DemoSubprocess : IAsyncDisposable
{
    private const int SIGKILL = 9;
    private const int SIGTERM = 15;

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private DemoSubprocess(Process process) => _process = process;

    public int Pid => _process.Id;

    public Uri BaseAddress { get; private set; } = null!;

    public bool HasExited => _process.HasExited;

    /// <summary>Everything the process wrote so far (stdout and stderr), for failure messages.</summary>
    public string Output => string.Join("\n", _output);

    /// <summary>
    /// Starts the demo and waits for its "listening on" line. <paramref name="settings"/> are <c>Key=Value</c>
    /// pairs passed as <c>--Key=Value</c>; <paramref name="label"/> names the process in the early-exit message.
    /// </summary>
    public static async Task<DemoSubprocess> StartAsync(string label, IEnumerable<string> settings, TimeSpan listenTimeout)
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
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add("http://127.0.0.1:0");
        foreach (var setting in settings)
        {
            start.ArgumentList.Add("--" + setting);
        }

        return await StartAsync(start, label, listenTimeout);
    }

    /// <summary>
    /// Starts any ActorSsgi app described by <paramref name="start"/> (output redirected, bound to port 0) and waits
    /// for its "listening on" line, as for the demo.
    /// </summary>
    public static async Task<DemoSubprocess> StartAsync(ProcessStartInfo start, string label, TimeSpan listenTimeout)
    {
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var demo = new DemoSubprocess(process);
        process.OutputDataReceived += (_, e) => demo.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => demo.OnLine(e.Data);
        // An exit before the line would otherwise leave the caller waiting out the whole timeout.
        process.Exited += (_, _) => demo._listening.TrySetException(new InvalidOperationException($"{label} exited early:\n{demo.Output}"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            demo.BaseAddress = await demo._listening.Task.WaitAsync(listenTimeout);
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

    /// <summary>SIGTERM, as an orchestrator stopping the service would (Process.Kill sends SIGKILL).</summary>
    public void Terminate() => Signal(SIGTERM, nameof(SIGTERM));

    /// <summary>kill -9: the process vanishes without a word to anyone, as a crashed machine would.</summary>
    public void KillHard() => Signal(SIGKILL, nameof(SIGKILL));

    private void Signal(int signal, string name)
    {
        if (kill(_process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, {name}) failed: errno {Marshal.GetLastPInvokeError()}.");
        }
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
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await WaitForExitAsync(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException)
        {
            // Exited between the check and the kill.
        }

        _process.Dispose();
    }

    [GeneratedRegex(@"ActorSsgi listening on (https?://\S+)")]
    private static partial Regex ListeningLine();

    // Process offers only SIGKILL (Kill); SIGTERM, what a graceful stop is tested against, needs libc.
    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);
}
