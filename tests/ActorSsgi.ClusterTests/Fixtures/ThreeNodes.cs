namespace ActorSsgi.ClusterTests.Fixtures;

/// <summary>A three-node cluster shared by the specs that do not harm it (each uses rooms and user ids of its own).</summary>
public sealed class ThreeNodes : IAsyncLifetime
{
    public TestCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() => Cluster = await TestCluster.StartAsync(3);

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

/// <summary>One collection for every spec: clusters of real processes share two cores, so they run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class ClusterCollection
{
    public const string Name = "cluster";
}
