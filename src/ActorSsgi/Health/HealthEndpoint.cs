using System.Text.Json;
using ActorSsgi.Hosting;
using ActorSsgi.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ActorSsgi.Health;

/// <summary>
/// Answers the liveness and readiness paths before the application sees the request: 200 when every check of the
/// probe's tag is healthy (or degraded), 503 otherwise, with a small JSON body. Made only when
/// <see cref="SsgiHealthOptions.Enabled"/>, so a server without probes pays nothing per request.
/// </summary>
internal sealed class HealthEndpoint
{
    private readonly string _livePath;
    private readonly string _readyPath;
    private readonly HealthCheckService _checks;

    private HealthEndpoint(SsgiHealthOptions options, HealthCheckService checks)
    {
        _livePath = options.LivePath;
        _readyPath = options.ReadyPath;
        _checks = checks;
    }

    /// <summary>The endpoint, or <c>null</c> when probes are off (or the host registered no health checks).</summary>
    public static HealthEndpoint? Create(SsgiHealthOptions options, IServiceProvider services) =>
        options.Enabled && services.GetService<HealthCheckService>() is { } checks ? new HealthEndpoint(options, checks) : null;

    /// <summary>The probe's answer if <paramref name="context"/> asks for one, else <c>null</c> (the application's).</summary>
    public Task? TryServe(SsgiRequestContext context)
    {
        var path = context.Request.Path;
        var tag = string.Equals(path, _livePath, StringComparison.Ordinal) ? ActorSsgiHealthChecks.LiveTag
            : string.Equals(path, _readyPath, StringComparison.Ordinal) ? ActorSsgiHealthChecks.ReadyTag
            : null;
        return tag is null ? null : ServeAsync(context, tag);
    }

    private async Task ServeAsync(SsgiRequestContext context, string tag)
    {
        var report = await _checks.CheckHealthAsync(r => r.Tags.Contains(tag), context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestLifetimeFeature>()?.RequestAborted ?? default).ConfigureAwait(false);
        var body = JsonSerializer.SerializeToUtf8Bytes(
            new HealthBody(report.Status.ToString(), report.Entries.ToDictionary(e => e.Key, e => new HealthEntry(e.Value.Status.ToString(), e.Value.Description))),
            HealthJsonContext.Default.HealthBody);
        var response = context.Response;
        response.StatusCode = report.Status == HealthStatus.Unhealthy ? 503 : 200;
        response.Headers.ContentType = "application/json";
        response.Headers.CacheControl = "no-store";
        response.Headers.ContentLength = body.Length;
        await context.Body.Writer.WriteAsync(body).ConfigureAwait(false);
    }
}

/// <summary>The probe's JSON answer: overall status and one entry per check.</summary>
internal sealed record HealthBody(string Status, Dictionary<string, HealthEntry> Checks);

/// <summary>One check in the probe's answer.</summary>
internal sealed record HealthEntry(string Status, string? Description);

[System.Text.Json.Serialization.JsonSerializable(typeof(HealthBody))]
[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class HealthJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
