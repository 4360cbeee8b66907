namespace ActorSsgi.Demo;

/// <summary>Counters the demo reports: how many on_aborted callbacks ran.</summary>
public sealed class DemoCounters
{
    private long _aborted;

    /// <summary>on_aborted calls so far.</summary>
    public long Aborted => Interlocked.Read(ref _aborted);

    /// <summary>Counts one on_aborted call.</summary>
    public void CountAborted() => Interlocked.Increment(ref _aborted);
}
