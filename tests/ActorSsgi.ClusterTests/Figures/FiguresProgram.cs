using System.Diagnostics;
using ActorSsgi.ClusterTests.Fixtures;

namespace ActorSsgi.ClusterTests.Figures;

/// <summary>
/// The closing note's figures, measured against real demo processes on loopback (not run by <c>dotnet test</c>):
/// <code>
/// dotnet build tests/ActorSsgi.ClusterTests -c Release
/// dotnet path/to/ActorSsgi.ClusterTests.dll figures
/// </code>
/// Bounded: each measurement runs for seconds, and the whole run takes about two minutes.
/// <c>figures-latency</c> runs <see cref="LatencyComparison"/> instead (about a minute per run).
/// </summary>
public static class FiguresProgram
{
    public static async Task<int> Main(string[] args)
    {
        if (args is ["figures-latency", ..])
        {
            // Cross-node chat latency beside bare Akka.Cluster + DistributedPubSub (LatencyComparison for the knobs).
            return await LatencyComparison.RunAsync();
        }

        if (args is not ["figures", ..])
        {
            Console.Error.WriteLine("usage: ActorSsgi.ClusterTests figures | figures-latency   (the tests themselves run under dotnet test)");
            return 2;
        }

        await using (var cluster = await TestCluster.StartAsync(3))
        {
            foreach (var rate in new[] { 1_000, 10_000 })
            {
                var result = await LatencyProbe.RunAsync(cluster[0], cluster[1], rate, TimeSpan.FromSeconds(5));
                Console.WriteLine($"cross-node chat latency at {rate} msg/s offered: {result}");
            }

            foreach (var spread in new[] { false, true })
            {
                var nodes = spread ? cluster.Nodes : [cluster[0]];
                var result = await FanOutProbe.RunAsync(cluster[0], nodes, subscribers: 300, messages: 2000);
                Console.WriteLine($"fan-out, 300 subscribers on {(spread ? "three nodes" : "one node")}: {result}");
            }
        }

        for (var run = 0; run < 3; run++)
        {
            await using var cluster = await TestCluster.StartAsync(3);
            var watch = Stopwatch.StartNew();
            cluster[2].KillHard();
            var unreachableAt = TimeSpan.Zero;
            await Eventually.Until(
                async () =>
                {
                    var members = await MembersReply.GetAsync(cluster.Http, cluster[0].BaseAddress);
                    if (unreachableAt == TimeSpan.Zero && members.Members.Any(m => m.Address == cluster[2].Address && !m.Reachable))
                    {
                        unreachableAt = watch.Elapsed;
                    }

                    return members;
                },
                members => members.Members.All(m => m.Address != cluster[2].Address),
                TimeSpan.FromSeconds(60),
                "the killed node's removal",
                TimeSpan.FromMilliseconds(50));
            Console.WriteLine($"kill -9 to unreachable {unreachableAt.TotalMilliseconds:0} ms, to removed from membership {watch.ElapsedMilliseconds} ms (stable-after {TestCluster.StableAfter.TotalSeconds} s)");
        }

        return 0;
    }
}
