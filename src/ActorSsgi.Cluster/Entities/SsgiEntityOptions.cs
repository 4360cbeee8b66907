namespace ActorSsgi.Cluster.Entities;

/// <summary>How a kind of handler entity is hosted (see <c>WithSsgiEntities</c>).</summary>
public sealed class SsgiEntityOptions
{
    /// <summary>How many shards the entities are spread over; keep it about ten times the largest node count. Default 30.</summary>
    public int MaxShards { get; set; } = 30;

    /// <summary>
    /// Stop entities idle for this long, or <c>null</c> (the default) to keep them: the entities ActorSsgi hosts keep
    /// their state in memory, and a passivated entity would lose it.
    /// </summary>
    public TimeSpan? PassivateIdleAfter { get; set; }

    /// <summary>Only nodes with this role host the entities; <c>null</c>: every node.</summary>
    public string? Role { get; set; }
}
