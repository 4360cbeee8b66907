using ActorSsgi.Tests.Shared;

namespace ActorSsgi.ClusterTests.Fixtures;

/// <summary>
/// One demo node as a real process. Starting, output capture and signals are <see cref="DemoSubprocess"/>'s (shared
/// with the functional tests); this adds the node's name and its Akka.Remote port, which is given rather than bound
/// to 0 because seed nodes must be known up front.
/// </summary>
public sealed class DemoNode : IAsyncDisposable
{
    private readonly DemoSubprocess _process;

    private DemoNode(DemoSubprocess process, string name, int remotePort)
    {
        _process = process;
        Name = name;
        RemotePort = remotePort;
    }

    public string Name { get; }

    public int RemotePort { get; }

    /// <summary>The node's cluster address as /cluster/members reports it.</summary>
    public string Address => $"akka.tcp://actorssgi@127.0.0.1:{RemotePort}";

    public Uri BaseAddress => _process.BaseAddress;

    public int Pid => _process.Pid;

    public bool HasExited => _process.HasExited;

    /// <summary>Everything the process wrote (stdout and stderr), for failure messages.</summary>
    public string Output => _process.Output;

    public Uri Ws(string pathAndQuery) => new($"ws://{BaseAddress.Authority}{pathAndQuery}");

    /// <summary>Starts a node; <paramref name="settings"/> are <c>Key=Value</c> pairs passed as <c>--Key=Value</c>.</summary>
    public static async Task<DemoNode> StartAsync(string name, int remotePort, IEnumerable<string> settings) =>
        // 60 s rather than the functional suite's 30: TestCluster starts all its nodes at once, each bringing up Akka.
        new(await DemoSubprocess.StartAsync(name, settings, TimeSpan.FromSeconds(60)), name, remotePort);

    /// <summary>kill -9: the process vanishes without a word to anyone, as a crashed machine would.</summary>
    public void KillHard() => _process.KillHard();

    /// <summary>SIGTERM, as an orchestrator stopping the service would.</summary>
    public void Terminate() => _process.Terminate();

    /// <summary>Waits for the process to exit; null when it did not within <paramref name="timeout"/>.</summary>
    public Task<int?> WaitForExitAsync(TimeSpan timeout) => _process.WaitForExitAsync(timeout);

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
