using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace ActorSsgi.Cli.Tests;

/// <summary>
/// The built command (<c>dotnet ActorSsgi.Cli.dll ...</c>) as a real process, its output kept as lines to wait on.
/// Disposing kills it, its children, and every worker pid a spec saw, if still alive.
/// </summary>
public sealed partial class CliProcess : IDisposable
{
    private const int SigTerm = 15;
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly Lock _gate = new();
    private readonly List<string> _stdout = [];
    private readonly List<string> _stderr = [];
    private readonly HashSet<int> _workerPids = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private CliProcess(Process process) => _process = process;

    /// <summary>The command's dll, from the project reference's own output.</summary>
    public static string CliPath { get; } = typeof(CliProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(attribute => attribute.Key == "ActorSsgiCli").Value!;

    /// <summary>The Python samples, copied next to the tests.</summary>
    public static string SamplesDir => Path.Combine(AppContext.BaseDirectory, "samples");

    /// <summary>The spec-only Python apps.</summary>
    public static string AppsDir => Path.Combine(AppContext.BaseDirectory, "apps");

    public int Id => _process.Id;

    public IReadOnlyList<string> Stderr
    {
        get
        {
            lock (_gate)
            {
                return [.. _stderr];
            }
        }
    }

    public static CliProcess Start(params string[] args)
    {
        Assert.True(File.Exists(CliPath), $"The command is not built at {CliPath}.");
        var start = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(CliPath);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var cli = new CliProcess(new Process { StartInfo = start });
        cli._process.OutputDataReceived += (_, line) => cli.Add(cli._stdout, line.Data);
        cli._process.ErrorDataReceived += (_, line) => cli.Add(cli._stderr, line.Data);
        cli._process.Start();
        cli._process.BeginOutputReadLine();
        cli._process.BeginErrorReadLine();
        return cli;
    }

    /// <summary>Runs the command to its end and returns its exit code and stderr lines.</summary>
    public static async Task<(int ExitCode, IReadOnlyList<string> Stderr, IReadOnlyList<string> Stdout)> RunToEndAsync(params string[] args)
    {
        using var cli = Start(args);
        var code = await cli.WaitForExitAsync();
        lock (cli._gate)
        {
            return (code, [.. cli._stderr], [.. cli._stdout]);
        }
    }

    /// <summary>Waits for a stdout line matching <paramref name="pattern"/>; fails if the command exits first.</summary>
    public async Task<Match> WaitForLineAsync(Regex pattern, TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? DefaultTimeout);
        var exited = false;
        for (var seen = 0; ; )
        {
            Task changed;
            lock (_gate)
            {
                for (; seen < _stdout.Count; seen++)
                {
                    if (pattern.Match(_stdout[seen]) is { Success: true } match)
                    {
                        return match;
                    }
                }

                changed = _changed.Task;
            }

            if (exited)
            {
                Assert.Fail($"The command exited with {_process.ExitCode} before printing /{pattern}/. stderr: {string.Join(" | ", Stderr)}");
            }

            // Exit completes only after the output is read to its end, so one more scan sees every line.
            var exit = _process.WaitForExitAsync(deadline.Token);
            if (await Task.WhenAny(changed, exit) == exit)
            {
                if (!exit.IsCompletedSuccessfully)
                {
                    Assert.Fail($"No line /{pattern}/ within {timeout ?? DefaultTimeout}. stderr: {string.Join(" | ", Stderr)}");
                }

                exited = true;
            }
        }
    }

    /// <summary>Waits for the process to exit; fails after the timeout.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"The command was still running after {timeout ?? DefaultTimeout}. stderr: {string.Join(" | ", Stderr)}");
        }

        return _process.ExitCode;
    }

    /// <summary>Sends SIGTERM, as a service manager stops a server.</summary>
    public void Terminate() => Assert.Equal(0, Kill(_process.Id, SigTerm));

    /// <summary>Remembers a worker's pid, so that Dispose kills it should the supervisor have left it behind.</summary>
    public void TrackWorker(int pid)
    {
        lock (_gate)
        {
            _workerPids.Add(pid);
        }
    }

    /// <summary>Whether <paramref name="pid"/> is still a running (not yet reaped) process of this command.</summary>
    public static bool IsCommandRunning(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Contains("ActorSsgi.Cli", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        foreach (var pid in _workerPids.Where(IsCommandRunning))
        {
            _ = Kill(pid, 9);
        }

        _process.Dispose();
    }

    private void Add(List<string> lines, string? line)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            if (line is not null)
            {
                lines.Add(line);
            }

            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}

/// <summary>The command's processes start one at a time: each loads CPython or Akka, and the machine is small.</summary>
[CollectionDefinition(Name)]
public sealed class CliCollection
{
    public const string Name = "cli";
}
