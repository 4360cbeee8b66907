using ActorSsgi.Cluster.Membership;
using ActorSsgi.Demo;
using ActorSsgi.Demo.Dashboard;
using ActorSsgi.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ActorSsgi.FunctionalTests.Dashboard;

/// <summary>
/// The demo in-process on a port the OS picks, as its Program.cs hosts it, with an optional membership source in the
/// container in place of Akka's (so a test can take a member down without running a cluster).
/// </summary>
public sealed class DashboardHost : IAsyncDisposable
{
    private readonly IHost _host;

    private DashboardHost(IHost host, Uri baseAddress)
    {
        _host = host;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public Uri Ws(string pathAndQuery) => new($"ws://{BaseAddress.Authority}{pathAndQuery}");

    public static async Task<DashboardHost> StartAsync(IDashboardMembership? membership = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = ["--Logging:LogLevel:Default=Warning", "--urls", "http://127.0.0.1:0"],
            ContentRootPath = AppContext.BaseDirectory,
        });
        if (membership is not null)
        {
            builder.Services.AddSingleton(membership);
        }

        builder.Services.AddActorSsgi<DemoFramework>(builder.Configuration);
        var host = builder.Build();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await host.StartAsync(timeout.Token);
        var bound = await host.Services.GetRequiredService<SsgiServerAddresses>().Bound.WaitAsync(timeout.Token);
        return new DashboardHost(host, new Uri(bound[0]));
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await _host.StopAsync(timeout.Token);
        }
        finally
        {
            _host.Dispose();
        }
    }
}

/// <summary>Two members, this node and a peer, whose state a test sets.</summary>
public sealed class FakeMembership : IDashboardMembership
{
    public const string SelfAddress = "akka.tcp://actorssgi@127.0.0.1:4053";
    public const string PeerAddress = "akka.tcp://actorssgi@127.0.0.1:4054";

    private volatile SsgiClusterMember _peer = new(PeerAddress, "up", [], true);

    public string Self => SelfAddress;

    public bool Clustered => true;

    public IReadOnlyList<SsgiClusterMember> Members() => [new(SelfAddress, "up", [], true), _peer];

    public void SetPeer(string status, bool reachable) => _peer = new SsgiClusterMember(PeerAddress, status, [], reachable);
}
