using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace ActorSsgi.ClusterTests.Fixtures;

/// <summary>
/// One demo node as a real process (<c>dotnet ActorSsgi.Demo.dll</c>, copied next to the tests by the project
/// reference). HTTP binds port 0 and the address is read from the "ActorSsgi listening on" line; the Akka.Remote port
/// is given, because seed nodes must be known up front.
/// </summary>
public sealed partial class DemoNode : IAsyncDisposable
{
    private const int SIGKILL = 9;
    private const int SIGTERM = 15;

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private DemoNode(Process process, string name, int remotePort)
    {
        _process = process;
        Name = name;
        RemotePort = remotePort;
    }

    public string Name { get; }

    public int RemotePort { get; }

    /// <summary>The node's cluster address as /cluster/members reports it.</summary>
    public string Address => $"akka.tcp://actorssgi@127.0.0.1:{RemotePort}";

    public Uri BaseAddress { get; private set; } = null!;

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Everything the process wrote (stdout and stderr), for failure messages.</summary>
    public string Output => string.Join("\n", _output);

    public Uri Ws(string pathAndQuery) => new($"ws://{BaseAddress.Authority}{pathAndQuery}");

    /// <summary>Starts a node; <paramref name="settings"/> are <c>Key=Value</c> pairs passed as <c>--Key=Value</c>.</summary>
    public static async Task<DemoNode> StartAsync(string name, int remotePort, IEnumerable<string> settings)
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

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var node = new DemoNode(process, name, remotePort);
        process.OutputDataReceived += (_, e) => node.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => node.OnLine(e.Data);
        process.Exited += (_, _) => node._listening.TrySetException(new InvalidOperationException($"{name} exited early:\n{node.Output}"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            node.BaseAddress = await node._listening.Task.WaitAsync(TimeSpan.FromSeconds(60));
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }

        return node;
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

    /// <summary>kill -9: the process vanishes without a word to anyone, as a crashed machine would.</summary>
    public void KillHard() => Signal(SIGKILL);

    /// <summary>SIGTERM, as an orchestrator stopping the service would.</summary>
    public void Terminate() => Signal(SIGTERM);

    private void Signal(int signal)
    {
        if (kill(_process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}.");
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

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);
}
