namespace ActorSsgi.ClusterTests.Fixtures;

/// <summary>
/// N demo nodes on loopback forming one cluster: Akka.Remote ports picked free, every node seeded by the first (so it
/// starts the cluster at once instead of waiting out the seed-node timeout), the split-brain resolver's stable-after
/// shortened to <see cref="StableAfter"/> so that a killed node is downed within seconds.
/// </summary>
public sealed class TestCluster : IAsyncDisposable
{
    public static readonly TimeSpan StableAfter = TimeSpan.FromSeconds(3);

    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private TestCluster(IReadOnlyList<DemoNode> nodes) => Nodes = nodes;

    public IReadOnlyList<DemoNode> Nodes { get; }

    public HttpClient Http => _http;

    public DemoNode this[int index] => Nodes[index];

    public static async Task<TestCluster> StartAsync(int size, params string[] extraSettings)
    {
        var ports = FreePorts.Take(size);
        var seed = $"akka.tcp://actorssgi@127.0.0.1:{ports[0]}";
        var started = await Task.WhenAll(ports.Select((port, i) => StartNodeAsync($"node{i + 1}", port, seed, extraSettings)));
        var cluster = new TestCluster(started);
        try
        {
            await cluster.WaitForMembersAsync(started, TimeSpan.FromSeconds(60));
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }

        return cluster;
    }

    private static Task<DemoNode> StartNodeAsync(string name, int port, string seed, string[] extraSettings) =>
        DemoNode.StartAsync(name, port,
        [
            "ActorSsgi:Cluster:Enabled=true",
            $"ActorSsgi:Cluster:Port={port}",
            $"ActorSsgi:Cluster:SeedNodes:0={seed}",
            $"ActorSsgi:Cluster:StableAfter={StableAfter}",
            "ActorSsgi:Cluster:Roles:0=web",
            "ActorSsgi:DrainTimeout=00:00:03",
            .. extraSettings,
        ]);

    /// <summary>Waits until every node in <paramref name="expected"/> sees exactly those nodes, all up and reachable.</summary>
    public async Task WaitForMembersAsync(IReadOnlyList<DemoNode> expected, TimeSpan timeout)
    {
        var want = expected.Select(n => n.Address).Order(StringComparer.Ordinal).ToArray();
        foreach (var node in expected)
        {
            await Eventually.Until(
                () => MembersReply.GetAsync(_http, node.BaseAddress),
                members => members.Members.Count == want.Length && members.UpAndReachable.SequenceEqual(want),
                timeout,
                $"{node.Name} to see members [{string.Join(", ", want)}]");
        }
    }

    /// <summary>The node whose cluster address is <paramref name="address"/>.</summary>
    public DemoNode ByAddress(string address) => Nodes.Single(n => n.Address == address);

    /// <summary>Every node's output, for failure messages.</summary>
    public string Output => string.Join("\n\n", Nodes.Select(n => $"===== {n.Name} ({n.Address})\n{n.Output}"));

    /// <summary>
    /// Runs <paramref name="scenario"/>; when it fails, fails with every node's output attached, since a message lost
    /// between nodes leaves its only trace (unreachable members, dead letters, remoting errors) in their logs.
    /// </summary>
    public async Task WithOutputOnFailure(Func<Task> scenario)
    {
        try
        {
            await scenario();
        }
        catch (Exception ex)
        {
            throw new Xunit.Sdk.XunitException($"{ex.Message}\n\nThe nodes' output:\n{Output}", ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(Nodes.Select(n => n.DisposeAsync().AsTask()));
        _http.Dispose();
    }
}
