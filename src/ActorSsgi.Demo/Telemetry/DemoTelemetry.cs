using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ActorSsgi.Demo.Telemetry;

/// <summary>OpenTelemetry for the demo, switched on by <c>ActorSsgi:Telemetry</c> (see docs/operating.md).</summary>
public static class DemoTelemetry
{
    /// <summary>
    /// When a Prometheus port or an OTLP endpoint is configured, adds an OpenTelemetry meter provider over the
    /// <c>ActorSsgi</c> and <c>ActorSsgi.Cluster</c> meters with those exporters. With neither, registers nothing: no
    /// listener is attached and the server's instruments cost nothing.
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="configuration">The host's configuration.</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddDemoTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(DemoTelemetryOptions.SectionName).Get<DemoTelemetryOptions>() ?? new DemoTelemetryOptions();
        var prometheus = options.Prometheus;
        var otlp = options.Otlp;
        var tracing = options.Tracing.Enabled;
        if (prometheus.Port is null && otlp.Endpoint is null && !tracing)
        {
            return services;
        }

        var telemetry = services.AddOpenTelemetry().ConfigureResource(resource => resource.AddService("actorssgi-demo"));
        if (tracing)
        {
            telemetry.WithTracing(traces =>
            {
                // The server's spans (one per request and WebSocket session); with no OTLP endpoint they are recorded
                // and dropped, which is what the benchmark's tracing row measures.
                traces.AddSource("ActorSsgi");
                if (otlp.Endpoint is { } traceEndpoint)
                {
                    traces.AddOtlpExporter(exporter =>
                    {
                        exporter.Endpoint = traceEndpoint;
                        exporter.Protocol = Enum.Parse<OtlpExportProtocol>(otlp.Protocol, ignoreCase: true);
                    });
                }
            });
        }

        if (prometheus.Port is null && otlp.Endpoint is null)
        {
            return services;
        }

        telemetry.WithMetrics(metrics =>
            {
                // The server's and the cluster's meters, by name (docs/operating.md lists their instruments).
                metrics.AddMeter("ActorSsgi", "ActorSsgi.Cluster");
                if (prometheus.Port is { } port)
                {
                    metrics.AddPrometheusHttpListener(listener =>
                    {
                        listener.Host = prometheus.Host;
                        listener.Port = port;
                        listener.ScrapeEndpointPath = prometheus.Path;
                    });
                }

                if (otlp.Endpoint is { } endpoint)
                {
                    metrics.AddOtlpExporter(exporter =>
                    {
                        exporter.Endpoint = endpoint;
                        exporter.Protocol = Enum.Parse<OtlpExportProtocol>(otlp.Protocol, ignoreCase: true);
                    });
                }
            });
        return services;
    }
}
