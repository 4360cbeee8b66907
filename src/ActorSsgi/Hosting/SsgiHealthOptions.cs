namespace ActorSsgi.Hosting;

/// <summary>
/// Liveness and readiness probes, bound from <c>ActorSsgi:Health</c>, answered by the server before the
/// application sees the request (see docs/operating.md).
/// </summary>
public sealed class SsgiHealthOptions
{
    /// <summary>Whether the probe paths are served. Default false: the application sees every path.</summary>
    public bool Enabled { get; set; }

    /// <summary>Path of the liveness probe (checks tagged <c>live</c>). Default <c>/healthz/live</c>.</summary>
    public string LivePath { get; set; } = "/healthz/live";

    /// <summary>Path of the readiness probe (checks tagged <c>ready</c>). Default <c>/healthz/ready</c>.</summary>
    public string ReadyPath { get; set; } = "/healthz/ready";

    /// <summary>
    /// How long the server keeps listening once a drain has started, answering readiness with 503, before it stops
    /// accepting connections: the time a load balancer needs to see the node as not ready. Default zero.
    /// </summary>
    public TimeSpan DrainDelay { get; set; } = TimeSpan.Zero;
}
