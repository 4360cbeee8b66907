namespace ActorSsgi.Telemetry;

/// <summary>
/// The name of the server's <see cref="System.Diagnostics.Metrics.Meter"/>, for <c>dotnet-counters monitor --counters
/// ActorSsgi</c>, an OpenTelemetry <c>AddMeter</c> or a <see cref="System.Diagnostics.Metrics.MeterListener"/>. The
/// instruments are listed in docs/operating.md.
/// </summary>
public static class ActorSsgiMeter
{
    /// <summary><c>ActorSsgi</c>: HTTP requests, WebSocket sessions, handler crashes, the request actor pool, topics.</summary>
    public const string Name = "ActorSsgi";
}
