using System.Text.RegularExpressions;

namespace ActorSsgi.Cli.Tests;

/// <summary><c>--workers N</c>: N processes on one port (SO_REUSEPORT), under a supervisor that forwards SIGTERM.</summary>
[Collection(CliCollection.Name)]
public sealed partial class WorkersSpec
{
    [Fact]
    public async Task Two_workers_must_both_accept_connections_on_the_one_port()
    {
        using var cli = StartPidApp();
        var (url, pids) = await WaitServingAsync(cli);

        var seen = await SeenPidsAsync(url, pids);

        Assert.Equal(pids.Order(), seen.Order());
    }

    [Fact]
    public async Task SIGTERM_to_the_supervisor_must_stop_every_worker_and_exit_0()
    {
        using var cli = StartPidApp();
        var (_, pids) = await WaitServingAsync(cli);
        Assert.All(pids, pid => Assert.True(CliProcess.IsCommandRunning(pid)));

        cli.Terminate();

        Assert.Equal(0, await cli.WaitForExitAsync());
        // The supervisor waits for (and so reaps) its workers before it exits.
        Assert.All(pids, pid => Assert.False(CliProcess.IsCommandRunning(pid), $"worker {pid} outlived the supervisor"));
    }

    [Fact]
    public async Task A_worker_failing_at_start_must_end_the_supervisor_with_exit_1_and_its_one_line_reason()
    {
        var (code, stderr, _) = await CliProcess.RunToEndAsync("--workers", "2", "--app-dir", CliProcess.AppsDir, "no_such_module_xyz:app", "--interface", "wsgi", "--urls", "http://127.0.0.1:0");

        Assert.Equal(1, code);
        Assert.StartsWith("actorssgi: error: Could not import module 'no_such_module_xyz'", Assert.Single(stderr));
    }

    private static CliProcess StartPidApp() =>
        CliProcess.Start("--workers", "2", "--app-dir", CliProcess.AppsDir, "pid_app:app", "--interface", "wsgi", "--urls", "http://127.0.0.1:0", "--log-level", "warning");

    private static async Task<(Uri Url, int[] Pids)> WaitServingAsync(CliProcess cli)
    {
        var serving = await cli.WaitForLineAsync(ServingWithWorkers(), TimeSpan.FromSeconds(90));
        var pids = serving.Groups["pids"].Value.Split(", ").Select(int.Parse).ToArray();
        foreach (var pid in pids)
        {
            cli.TrackWorker(pid);
        }

        Assert.Equal(2, pids.Distinct().Count());
        Assert.DoesNotContain(cli.Id, pids);
        return (new Uri(serving.Groups["url"].Value), pids);
    }

    /// <summary>Fresh connections until every worker has answered one: the kernel hashes each new connection to a worker.</summary>
    private static async Task<HashSet<int>> SeenPidsAsync(Uri url, int[] pids)
    {
        var seen = new HashSet<int>();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        for (var attempt = 0; attempt < 200 && !pids.All(seen.Contains); attempt++)
        {
            using var client = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(10) };
            client.DefaultRequestHeaders.ConnectionClose = true;
            seen.Add(int.Parse(await client.GetStringAsync("/", deadline.Token)));
        }

        return seen;
    }

    [GeneratedRegex(@"^actorssgi: serving pid_app:app on (?<url>http://127\.0\.0\.1:\d+) with 2 workers \(pids (?<pids>\d+, \d+)\)$")]
    private static partial Regex ServingWithWorkers();
}
