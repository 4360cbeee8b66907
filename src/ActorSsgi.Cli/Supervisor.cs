using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace ActorSsgi.Cli;

/// <summary>
/// <c>--workers N</c>: starts this command N more times as workers, each with its own server (and its own Python
/// interpreter, so N GILs), all bound to the same port with <c>SO_REUSEPORT</c> so that the kernel spreads new
/// connections over them. It forwards SIGTERM/SIGINT to the workers and waits for them; a worker that fails at start
/// or dies later stops the rest, and the supervisor exits 1.
/// </summary>
internal static partial class Supervisor
{
    private const int SigTerm = 15;

    /// <summary>How long the workers get to load the application and bind.</summary>
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);

    /// <summary>How long stopping workers get to drain (above ActorSsgi's default drain of 10 s) before they are killed.</summary>
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Runs the workers until a signal or a worker's death; returns the exit code.</summary>
    public static async Task<int> RunAsync(ServeSettings settings, string[] args)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new CliException("--workers needs Linux's SO_REUSEPORT.", ExitCodes.Usage);
        }

        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);

        // Port 0 is resolved here, once, and the port kept bound (not listening, so it is handed no connections): each
        // worker picking its own port 0 would give N ports, and releasing it would let another program take it.
        using var reservation = PortReservation.Resolve(settings.Urls ?? UrlsSetting(settings));
        var workers = Enumerable.Range(1, settings.Workers).Select(n => Worker.Start(n, args, reservation.Urls)).ToList();
        try
        {
            var exited = Task.WhenAny(workers.Select(w => w.Exited));
            var started = await Task.WhenAny(Task.WhenAll(workers.Select(w => w.Ready)), exited, stop.Task, Task.Delay(StartTimeout)).ConfigureAwait(false);
            if (started == exited)
            {
                var failed = workers.First(w => w.Exited.IsCompleted);
                var reason = failed.StartErrors();
                await Console.Error.WriteLineAsync(reason.Count > 0
                    ? string.Join(Environment.NewLine, reason)
                    : $"actorssgi: error: worker {failed.Number} exited with code {failed.Process.ExitCode} before it was serving.").ConfigureAwait(false);
                return await StopAllAsync(workers, ExitCodes.LoadFailure).ConfigureAwait(false);
            }

            if (started == stop.Task)
            {
                return await StopAllAsync(workers, ExitCodes.Ok).ConfigureAwait(false);
            }

            if (!workers.All(w => w.Ready.IsCompleted))
            {
                await Console.Error.WriteLineAsync($"actorssgi: error: the workers were not serving after {StartTimeout.TotalSeconds:0} s.").ConfigureAwait(false);
                return await StopAllAsync(workers, ExitCodes.LoadFailure).ConfigureAwait(false);
            }

            Console.Out.WriteLine($"{SingleServer.ReadyPrefix}serving {settings.Target.Text} on {reservation.Urls} with {workers.Count} workers (pids {string.Join(", ", workers.Select(w => w.Process.Id))})");
            Console.Out.Flush();
            if (await Task.WhenAny(exited, stop.Task).ConfigureAwait(false) == exited)
            {
                var died = workers.First(w => w.Exited.IsCompleted);
                await Console.Error.WriteLineAsync($"actorssgi: error: worker {died.Number} (pid {died.Process.Id}) exited with code {died.Process.ExitCode}; stopping the others.").ConfigureAwait(false);
                return await StopAllAsync(workers, ExitCodes.LoadFailure).ConfigureAwait(false);
            }

            return await StopAllAsync(workers, ExitCodes.Ok).ConfigureAwait(false);
        }
        finally
        {
            foreach (var worker in workers)
            {
                worker.Dispose();
            }
        }

        void Stop(PosixSignalContext context)
        {
            // The supervisor stops the workers itself, and exits when they have.
            context.Cancel = true;
            stop.TrySetResult();
        }
    }

    private static string UrlsSetting(ServeSettings settings) =>
        settings.Settings.Last(s => s.StartsWith("--ActorSsgi:Urls=", StringComparison.OrdinalIgnoreCase)).Split('=', 2)[1];

    /// <summary>SIGTERM to every live worker, a bounded wait for their drain, then a kill for any still running.</summary>
    private static async Task<int> StopAllAsync(List<Worker> workers, int exitCode)
    {
        foreach (var worker in workers.Where(w => !w.Exited.IsCompleted))
        {
            _ = Kill(worker.Process.Id, SigTerm);
        }

        var all = Task.WhenAll(workers.Select(w => w.Exited));
        if (await Task.WhenAny(all, Task.Delay(StopTimeout)).ConfigureAwait(false) != all)
        {
            foreach (var worker in workers.Where(w => !w.Exited.IsCompleted))
            {
                await Console.Error.WriteLineAsync($"actorssgi: worker {worker.Number} (pid {worker.Process.Id}) did not stop within {StopTimeout.TotalSeconds:0} s; killing it.").ConfigureAwait(false);
                worker.Process.Kill(entireProcessTree: true);
            }

            return ExitCodes.LoadFailure;
        }

        return exitCode;
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    /// <summary>One worker process, its output forwarded as lines.</summary>
    private sealed class Worker : IDisposable
    {
        private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly List<string> _startErrors = [];

        private Worker(int number, Process process)
        {
            Number = number;
            Process = process;
        }

        public int Number { get; }

        public Process Process { get; }

        public Task Ready => _ready.Task;

        public Task Exited { get; private set; } = Task.CompletedTask;

        public static Worker Start(int number, string[] args, string urls)
        {
            var start = new ProcessStartInfo(Environment.ProcessPath!)
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                // Never written: the worker watches for its end, which means the supervisor is gone.
                RedirectStandardInput = true,
            };
            if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
            {
                start.ArgumentList.Add(typeof(Supervisor).Assembly.Location);
            }

            foreach (var arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            start.Environment[SingleServer.WorkerVariable] = number.ToString(System.Globalization.CultureInfo.InvariantCulture);
            start.Environment[SingleServer.WorkerUrlsVariable] = urls;
            var process = new Process { StartInfo = start };
            var worker = new Worker(number, process);
            process.OutputDataReceived += (_, line) => worker.OnOutput(line.Data);
            process.ErrorDataReceived += (_, line) => worker.OnError(line.Data);
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            worker.Exited = process.WaitForExitAsync();
            return worker;
        }

        /// <summary>What the worker wrote on stderr before it was serving (its one-line reason when it failed).</summary>
        public List<string> StartErrors()
        {
            lock (_startErrors)
            {
                return [.. _startErrors];
            }
        }

        public void Dispose() => Process.Dispose();

        private void OnOutput(string? line)
        {
            if (line is null)
            {
                return;
            }

            if (line.StartsWith(SingleServer.ReadyPrefix + "worker ", StringComparison.Ordinal))
            {
                _ready.TrySetResult();
            }

            Console.Out.WriteLine(line);
        }

        private void OnError(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (_startErrors)
            {
                if (!_ready.Task.IsCompleted)
                {
                    // Held back: when every worker fails the same way, the supervisor tells it once.
                    _startErrors.Add(line);
                    return;
                }
            }

            Console.Error.WriteLine(line);
        }
    }

    /// <summary>The URLs with each port 0 replaced by a port bound here with <c>SO_REUSEPORT</c>, held until disposed.</summary>
    private sealed partial class PortReservation : IDisposable
    {
        private readonly List<System.Net.Sockets.Socket> _sockets = [];

        private PortReservation() { }

        public string Urls { get; private set; } = "";

        public static PortReservation Resolve(string urls)
        {
            var reservation = new PortReservation();
            var resolved = new List<string>();
            foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var match = PortZero().Match(url);
                if (!match.Success || !System.Net.IPAddress.TryParse(match.Groups["host"].Value.Trim('[', ']'), out var address))
                {
                    resolved.Add(url);
                    continue;
                }

                var socket = new System.Net.Sockets.Socket(address.AddressFamily, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
                reservation._sockets.Add(socket);
                // SOL_SOCKET, SO_REUSEPORT: the workers' sockets must join this one's port group.
                socket.SetRawSocketOption(1, 15, BitConverter.GetBytes(1));
                socket.Bind(new System.Net.IPEndPoint(address, 0));
                var port = ((System.Net.IPEndPoint)socket.LocalEndPoint!).Port;
                resolved.Add($"{match.Groups["scheme"].Value}://{match.Groups["host"].Value}:{port}{match.Groups["rest"].Value}");
            }

            reservation.Urls = string.Join(";", resolved);
            return reservation;
        }

        public void Dispose()
        {
            foreach (var socket in _sockets)
            {
                socket.Dispose();
            }
        }

        [GeneratedRegex(@"^(?<scheme>https?)://(?<host>\[[^\]]+\]|[^:/]+):0(?<rest>/.*)?$", RegexOptions.IgnoreCase)]
        private static partial Regex PortZero();
    }
}
