using System.Diagnostics;
using ActorSsgi.Server;
using Microsoft.AspNetCore.Http.Features;

namespace ActorSsgi.Telemetry;

/// <summary>
/// One observed request or WebSocket session: its span (if any) and its start time. Made only when
/// <see cref="RequestObserver.IsActive"/>; ended exactly once, by whoever ends the request (the request actor through
/// <see cref="SsgiRequestContext.Complete"/>, the session actor when the session releases its connection, the
/// gateway when it refuses an upgrade), so the span is started and stopped explicitly around a life that runs over
/// several actor messages and threads rather than relying on <see cref="Activity.Current"/> flowing.
/// </summary>
internal sealed class RequestObservation
{
    private readonly RequestObserver _observer;
    private readonly Activity? _activity;
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly bool _webSocket;

    public RequestObservation(RequestObserver observer, Activity? activity, bool webSocket)
    {
        _observer = observer;
        _activity = activity;
        _webSocket = webSocket;
    }

    /// <summary>The request's span, or <c>null</c> when only the access log is on (or the span was not sampled).</summary>
    public Activity? Activity => _activity;

    /// <summary>An HTTP request (or a refused upgrade) ended; read before Kestrel may reuse the context.</summary>
    public void End(SsgiRequestContext context)
    {
        context.Observation = null;
        var status = context.Response.StatusCode;
        var aborted = context.Features.Get<IHttpRequestLifetimeFeature>()?.RequestAborted.IsCancellationRequested == true;
        var elapsed = Stopwatch.GetElapsedTime(_started);
        if (_activity is not null)
        {
            _activity.SetTag("http.response.status_code", status);
            if (status >= 500 || aborted)
            {
                // A handler crash is a 500 (or an abort once the body started): the span says so.
                _activity.SetTag("error.type", aborted && status < 500 ? "aborted" : status.ToString(System.Globalization.CultureInfo.InvariantCulture));
                _activity.SetStatus(ActivityStatusCode.Error);
            }

            _activity.Stop();
        }

        if (_observer.AccessLogEnabled)
        {
            var request = context.Request;
            var bytes = context.BytesSent > 0 ? context.BytesSent : context.Response.Headers.ContentLength ?? 0;
            AccessLog.Request(
                _observer.AccessLogger,
                context.RemoteAddress,
                request.Method,
                request.Path,
                request.QueryString,
                request.Protocol,
                aborted ? 499 : status,
                bytes,
                elapsed.TotalMilliseconds,
                request.Headers.UserAgent.ToString());
        }
    }

    /// <summary>An accepted (or rejected) WebSocket session released its connection.</summary>
    public void EndSession(SsgiRequestContext context, int closeCode, long received, long sent)
    {
        if (!_webSocket || closeCode == 0)
        {
            // Never accepted: the upgrade was answered with a status, like a plain request.
            End(context);
            return;
        }

        context.Observation = null;
        var elapsed = Stopwatch.GetElapsedTime(_started);
        if (_activity is not null)
        {
            _activity.SetTag("http.response.status_code", 101);
            _activity.SetTag(ActorSsgiActivities.CloseCodeTag, closeCode);
            _activity.SetTag(ActorSsgiActivities.MessagesReceivedTag, received);
            _activity.SetTag(ActorSsgiActivities.MessagesSentTag, sent);
            if (closeCode == 1011)
            {
                _activity.SetTag("error.type", "1011");
                _activity.SetStatus(ActivityStatusCode.Error);
            }

            _activity.Stop();
        }

        if (_observer.AccessLogEnabled)
        {
            AccessLog.Session(
                _observer.AccessLogger,
                context.RemoteAddress,
                context.Request.Path,
                closeCode,
                elapsed.TotalMilliseconds,
                received,
                sent);
        }
    }
}
