using ActorSsgi.Server;
using Akka.Actor;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace ActorSsgi.Http;

/// <summary>
/// The SSGI state of the one request a <see cref="RequestActor"/> serves at a time: the state machine, the body
/// reader and the writer. Reused for every request the actor serves; everything here runs inside the actor.
/// The user-facing object is the per-request <see cref="SsgiHttpResponse"/>, which is detached when the request
/// ends so that a stale reference can never reach the next request.
/// </summary>
internal sealed partial class HttpExchange
{
    private readonly IActorRef _self;
    private readonly SsgiGateway _gateway;
    private readonly ILogger _logger;
    private readonly StringValues _serverHeader;
    private readonly Action<IActorRef> _release;
    private readonly FileRoot? _files;

    private SsgiRequestContext? _context;
    private SsgiHttpResponse? _response;
    private IHttpResponseFeature _head = null!;
    private IHttpResponseBodyFeature _body = null!;
    private HttpResponseState _state;
    private long _generation;

    // Generations are unique across actor instances, not just within one: a restarted actor gets a new exchange,
    // and late messages of the crashed instance's request (HandlerCompleted, ClientAborted) must never match the
    // requests the new instance serves. Each exchange counts on from its own base (one shared counter touched per
    // request would bounce a cache line between cores on the hot path).
    private static long s_lastExchange;

    // Lifetime of the request: it is finished (Kestrel told, actor released) once the response is final and no
    // handler can still read the headers, or once every handler returned without a promise to respond later.
    private bool _entryRunning;
    private bool _inEntryCall;
    private bool _headersExpired;
    private int _runAsyncPending;
    private IAbortHandler? _onAborted;
    private CancellationTokenRegistration _abortRegistration;

    public HttpExchange(IActorRef self, SsgiGateway gateway, ILogger logger, string serverHeader, FileRoot? files, Action<IActorRef> release)
    {
        _files = files;
        _self = self;
        _gateway = gateway;
        _logger = logger;
        _serverHeader = serverHeader;
        _release = release;
        _generation = Interlocked.Increment(ref s_lastExchange) << 32;
    }

    /// <summary>The exchange whose actor is processing a message on this thread, if any.</summary>
    [ThreadStatic]
    internal static HttpExchange? Current;

    public IActorRef Self => _self;

    public HttpResponseState State => _state;

    public long Generation => _generation;

    /// <summary>Where file responses may come from, or <c>null</c> when the server offers none.</summary>
    public FileRoot? Files => _files;

    public bool HeadersValid => _context is not null && !_headersExpired;

    public SsgiRequestContext Context => _context ?? throw new InvalidOperationException("No request is being served.");

    /// <summary>The path (without query) of the request being served, if any: the route of a crash (see <see cref="Dispatch.CrashLog"/>).</summary>
    public string? Path => _context?.Request.Path;

    /// <summary>Serves one request: runs the entry, then finishes at once if it completed synchronously.</summary>
    public void Serve(SsgiRequestContext context)
    {
        _context = context;
        _generation++;
        _head = context.Response;
        _body = context.Body;
        _state = HttpResponseState.Pending;
        if (_serverHeader.Count > 0)
        {
            _head.Headers.Server = _serverHeader;
        }

        var entry = _gateway.Http;
        if (entry is null)
        {
            // Send ends and finishes the request (End -> TryFinish -> Finish); finishing again would crash the actor.
            _head.StatusCode = 404;
            Send(ReadOnlySpan<byte>.Empty, hasMore: false);
            return;
        }

        var response = _response = new SsgiHttpResponse(this, _generation);
        var request = context.Request;
        var query = request.QueryString;
        _entryRunning = true;
        _inEntryCall = true;
        ValueTask task;
        try
        {
            task = entry(
                SsgiType.Http,
                context.ServerAddress,
                context.RemoteAddress,
                request.Method,
                request.Path,
                query.Length > 1 ? query.Substring(1) : "",
                response,
                response);
        }
        finally
        {
            _inEntryCall = false;
        }

        if (task.IsCompletedSuccessfully)
        {
            _entryRunning = false;
            _headersExpired = true;
        }
        else
        {
            // Rethrows at once if the task already failed: the supervisor decides.
            ObserveHandler(task, isEntry: true);
            if (_state == HttpResponseState.Ended)
            {
                // Ended before the entry's first await: the client gets its response now, not when the entry ends.
                PushEnded();
            }
        }

        TryFinish();
    }

    /// <summary>Starts watching Kestrel's abort signal: only requests that outlive their first call pay for it.</summary>
    private void WatchForAbort()
    {
        if (_abortRegistration != default || _context is null)
        {
            return;
        }

        var lifetime = _context.Features.Get<IHttpRequestLifetimeFeature>();
        if (lifetime is null)
        {
            return;
        }

        _abortRegistration = lifetime.RequestAborted.UnsafeRegister(
            static state =>
            {
                var (self, message) = ((IActorRef, ClientAborted))state!;
                Dispatch.InlineDispatcher.TellDeferred(self, message);
            },
            (_self, new ClientAborted(_generation)));
    }

    private void ObserveHandler(ValueTask task, bool isEntry)
    {
        if (task.IsFaulted || task.IsCanceled)
        {
            task.GetAwaiter().GetResult();
        }

        WatchForAbort();
        _ = ReportWhenDone(task, _generation, isEntry);
    }


    private Task ReportWhenDone(ValueTask task, long generation, bool isEntry) =>
        Dispatch.HandlerTasks.ReportWhenDone(task, _self, (generation, isEntry), static (s, error) => new HandlerCompleted(s.generation, s.isEntry, error));

    /// <summary>An entry or RunAsync handler finished asynchronously.</summary>
    public void OnHandlerCompleted(HandlerCompleted completed)
    {
        if (completed.Generation != _generation || _context is null)
        {
            return;
        }

        if (completed.Error is not null)
        {
            // Let the supervisor decide; PreRestart ends the request (500 or abort).
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(completed.Error);
        }

        if (completed.IsEntry)
        {
            _entryRunning = false;
            _headersExpired = true;
        }
        else
        {
            _runAsyncPending--;
        }

        TryFinish();
    }

    public void RunAsync(Func<SsgiHttpResponse, ValueTask> run)
    {
        _headersExpired = true;
        _runAsyncPending++;
        WatchForAbort();
        var generation = _generation;
        var response = _response!;
        // "After the current call": queued behind it as a message to this actor.
        Dispatch.InlineDispatcher.TellDeferred(_self, new Dispatch.RunInActor(
            _ =>
            {
                if (generation != _generation || _context is null)
                {
                    return;
                }

                ValueTask task;
                try
                {
                    task = run(response);
                }
                catch (Exception ex)
                {
                    _self.Tell(new HandlerFailed(generation, ex), ActorRefs.NoSender);
                    return;
                }

                if (task.IsCompletedSuccessfully)
                {
                    _runAsyncPending--;
                    TryFinish();
                }
                else
                {
                    _ = ReportWhenDone(task, generation, isEntry: false);
                }
            },
            null));
    }

    public void SetAbortHandler(IAbortHandler handler)
    {
        _onAborted = handler;
        WatchForAbort();
    }
}
