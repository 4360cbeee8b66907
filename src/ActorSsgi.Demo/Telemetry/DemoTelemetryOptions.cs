namespace ActorSsgi.Demo.Telemetry;

/// <summary>
/// <c>ActorSsgi:Telemetry</c>: where the demo exports the <c>ActorSsgi</c> and <c>ActorSsgi.Cluster</c> meters through
/// OpenTelemetry. Both exporters are off until configured; either or both may be on.
/// </summary>
public sealed class DemoTelemetryOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "ActorSsgi:Telemetry";

    /// <summary>A Prometheus scrape endpoint on a port of its own (not the application's).</summary>
    public DemoPrometheusOptions Prometheus { get; set; } = new();

    /// <summary>An OTLP push to a collector.</summary>
    public DemoOtlpOptions Otlp { get; set; } = new();

    /// <summary>
    /// <c>ActorSsgi:Telemetry:Tracing</c>: record the <c>ActorSsgi</c> spans with OpenTelemetry's tracer provider
    /// (exported through OTLP when <see cref="Otlp"/> names an endpoint); off by default.
    /// </summary>
    public DemoTracingOptions Tracing { get; set; } = new();
}

/// <summary><c>ActorSsgi:Telemetry:Tracing</c>.</summary>
public sealed class DemoTracingOptions
{
    /// <summary>Whether a tracer provider listens to the <c>ActorSsgi</c> activity source (every span sampled).</summary>
    public bool Enabled { get; set; }
}

/// <summary><c>ActorSsgi:Telemetry:Prometheus</c>.</summary>
public sealed class DemoPrometheusOptions
{
    /// <summary>The port of the scrape endpoint; <c>null</c> (the default) serves none.</summary>
    public int? Port { get; set; }

    /// <summary>The host the listener binds: <c>127.0.0.1</c> by default, <c>+</c> or <c>*</c> for every interface.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>The scrape path.</summary>
    public string Path { get; set; } = "/metrics";
}

/// <summary><c>ActorSsgi:Telemetry:Otlp</c>.</summary>
public sealed class DemoOtlpOptions
{
    /// <summary>The collector, such as <c>http://127.0.0.1:4317</c>; <c>null</c> (the default) exports nothing.</summary>
    public Uri? Endpoint { get; set; }

    /// <summary><c>Grpc</c> (the default) or <c>HttpProtobuf</c>.</summary>
    public string Protocol { get; set; } = "Grpc";
}
