using System.Net;
using ActorSsgi.Tests.Shared;

namespace ActorSsgi.FunctionalTests.Fixtures;

/// <summary>
/// The demo as a real process, for what only a process shows: its own memory and its reaction to SIGTERM.
/// Starting, output capture and signals are <see cref="DemoSubprocess"/>'s (shared with the cluster tests); this
/// adds what the functional specs ask of it.
/// </summary>
public sealed class DemoProcess : IAsyncDisposable
{
    private readonly DemoSubprocess _process;

    private DemoProcess(DemoSubprocess process) => _process = process;

    public int Pid => _process.Pid;

    public Uri BaseAddress => _process.BaseAddress;

    public IPEndPoint EndPoint => DemoServer.EndPointOf(BaseAddress);

    public bool HasExited => _process.HasExited;

    /// <summary>Everything the process wrote so far (stdout and stderr), for failure messages.</summary>
    public string Output => _process.Output;

    /// <summary>Starts the demo; <paramref name="settings"/> are <c>Key=Value</c> pairs passed as <c>--Key=Value</c>.</summary>
    public static async Task<DemoProcess> StartAsync(params string[] settings) =>
        new(await DemoSubprocess.StartAsync("The demo", settings, TimeSpan.FromSeconds(30)));

    /// <summary>Sends SIGTERM, as an orchestrator stopping the service would (Process.Kill sends SIGKILL).</summary>
    public void Terminate() => _process.Terminate();

    /// <summary>The process's resident set size now (VmRSS in /proc/PID/status), in bytes.</summary>
    public long ResidentBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0]) * 1024;
            }
        }

        throw new InvalidOperationException("No VmRSS line in /proc/PID/status.");
    }

    /// <summary>Waits for the process to exit; null when it did not within <paramref name="timeout"/>.</summary>
    public Task<int?> WaitForExitAsync(TimeSpan timeout) => _process.WaitForExitAsync(timeout);

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
