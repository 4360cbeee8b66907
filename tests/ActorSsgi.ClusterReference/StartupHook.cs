/// <summary>
/// <c>DOTNET_STARTUP_HOOKS=path/to/ActorSsgi.ClusterReference.dll</c> starts <see cref="ActorSsgi.ClusterReference.GcPauseLog"/>
/// and <see cref="ActorSsgi.ClusterReference.MeterTotals"/> in any .NET process, so the demo nodes log their GC pauses
/// and counter totals without a line of src/ knowing about it. The runtime
/// looks the hook up by this exact name, outside any namespace.
/// </summary>
internal static class StartupHook
{
    /// <summary>Called by the runtime before the process's Main.</summary>
    public static void Initialize()
    {
        ActorSsgi.ClusterReference.GcPauseLog.Start();
        ActorSsgi.ClusterReference.MeterTotals.Start();
    }
}
