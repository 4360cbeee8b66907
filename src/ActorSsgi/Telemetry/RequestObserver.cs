using System.Diagnostics;
using ActorSsgi.Hosting;
using ActorSsgi.Server;
using Microsoft.Extensions.Logging;

namespace ActorSsgi.Telemetry;

/// <summary>
/// Watches requests and sessions for tracing and the access log. One per server; the request entry asks
/// <see cref="IsActive"/> (a boolean and <see cref="ActivitySource.HasListeners"/>) and, only when it holds, starts a
/// <see cref="RequestObservation"/> that ends when the request or session ends.
/// </summary>
internal sealed class RequestObserver
{
    private readonly bool _accessLog;

    public RequestObserver(SsgiAccessLogOptions options, ILoggerFactory loggerFactory)
    {
        _accessLog = options.Enabled;
        AccessLogger = loggerFactory.CreateLogger(AccessLog.Category);
    }

    public ILogger AccessLogger { get; }

    public bool AccessLogEnabled => _accessLog;

    /// <summary>Whether anything would use an observation of the next request.</summary>
    public bool IsActive => _accessLog || ActorSsgiActivities.Source.HasListeners();

    /// <summary>
    /// Starts observing <paramref name="context"/>: its span (when sampled) becomes <see cref="Activity.Current"/>
    /// on this thread, so a handler served inline sees it, and its awaits carry it on. Returns what was current before,
    /// for the caller to restore once the request has been handed to its actor.
    /// </summary>
    public Activity? Start(SsgiRequestContext context, bool webSocket)
    {
        var previous = Activity.Current;
        var activity = ActorSsgiActivities.Source.HasListeners() ? StartActivity(context, webSocket) : null;
        context.Observation = new RequestObservation(this, activity, webSocket);
        return previous;
    }

    private static Activity? StartActivity(SsgiRequestContext context, bool webSocket)
    {
        var request = context.Request;
        DistributedContextPropagator.Current.ExtractTraceIdAndState(
            request.Headers,
            static (carrier, name, out value, out values) =>
            {
                values = null;
                value = ((Microsoft.AspNetCore.Http.IHeaderDictionary)carrier!).TryGetValue(name, out var header) ? header.ToString() : null;
            },
            out var traceParent,
            out var traceState);
        ActivityContext.TryParse(traceParent, traceState, isRemote: true, out var parent);

        // SSGI has no route template, so the span is named after the method alone (HTTP semantic conventions).
        var activity = ActorSsgiActivities.Source.StartActivity(request.Method, ActivityKind.Server, parent);
        if (activity is null || !activity.IsAllDataRequested)
        {
            return activity;
        }

        activity.SetTag("http.request.method", request.Method);
        activity.SetTag("url.path", request.Path);
        activity.SetTag("url.scheme", request.Scheme);
        if (request.QueryString.Length > 1)
        {
            activity.SetTag("url.query", request.QueryString.Substring(1));
        }

        var host = request.Headers.Host.ToString();
        if (host.Length > 0)
        {
            var at = host.LastIndexOf(':');
            var bracket = host.LastIndexOf(']');
            if (at > bracket && int.TryParse(host.AsSpan(at + 1), out var port))
            {
                activity.SetTag("server.address", host[..at]);
                activity.SetTag("server.port", port);
            }
            else
            {
                activity.SetTag("server.address", host);
                activity.SetTag("server.port", request.Scheme == "https" ? 443 : 80);
            }
        }

        var connection = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpConnectionFeature>();
        if (connection?.RemoteIpAddress is { } remote)
        {
            activity.SetTag("client.address", remote.ToString());
        }

        activity.SetTag("network.protocol.version", ProtocolVersion(request.Protocol));
        var agent = request.Headers.UserAgent.ToString();
        if (agent.Length > 0)
        {
            activity.SetTag("user_agent.original", agent);
        }

        if (webSocket)
        {
            activity.SetTag(ActorSsgiActivities.WebSocketTag, true);
        }

        return activity;
    }

    /// <summary><c>HTTP/1.1</c> is <c>1.1</c>, <c>HTTP/2</c> is <c>2</c> (the convention's value).</summary>
    internal static string ProtocolVersion(string protocol) =>
        protocol.StartsWith("HTTP/", StringComparison.Ordinal) ? protocol[5..] : protocol;
}
