using ActorSsgi.Interfaces;
using ActorSsgi.Server;
using Akka.Actor;
using Microsoft.AspNetCore.Http.Features;

namespace ActorSsgi.Http;

/// <summary>
/// The request a <see cref="RequestActor"/> serves for a hosted application (ASP.NET Core's pipeline) instead of an
/// SSGI entry. The actor owns the request's life as it does for SSGI: it starts the application, takes Kestrel's
/// abort in as a message (which fires <c>RequestAborted</c>), hears of the application's end as a message, and on
/// a crash its supervisor's restart answers 500 (or aborts once the response started).
/// </summary>
/// <remarks>
/// The application runs without the actor's synchronization context: ASP.NET Core code is written for none, its
/// libraries may block on tasks (which would deadlock a one-thread-at-a-time context), and every await would cost a
/// mailbox message. Its continuations run on the thread pool as on bare Kestrel; the actor sees the start, the
/// abort and the end.
/// </remarks>
internal sealed class HostedExchange
{
    private readonly IActorRef _self;
    private readonly IHostedApplication _application;
    private readonly Action<IActorRef> _release;
    private readonly HostedLifetime _lifetime;
    private readonly Microsoft.Extensions.Primitives.StringValues _serverHeader;
    private SsgiRequestContext? _context;
    private object? _applicationContext;
    private long _generation;

    // Unique across actor instances, as in HttpExchange: late messages of a crashed instance must not match.
    private static long s_lastExchange;

    public HostedExchange(IActorRef self, IHostedApplication application, string serverHeader, Action<IActorRef> release)
    {
        _serverHeader = serverHeader;
        _self = self;
        _application = application;
        _release = release;
        _lifetime = new HostedLifetime(self);
        _generation = Interlocked.Increment(ref s_lastExchange) << 32;
    }

    /// <summary>The path (without query) of the request being served, if any: the route of a crash.</summary>
    public string? Path => _context?.Request.Path;

    public void Serve(SsgiRequestContext context)
    {
        _context = context;
        _generation++;
        var features = context.HostedFeatures;
        if (features is null || !ReferenceEquals(features.Inner, context.Features))
        {
            // A new connection or HTTP/2 stream: the application's per-connection context starts afresh.
            context.HostedFeatures = features = _application.CreateFeatures();
        }

        features.Attach(context.Features, _lifetime);
        if (_serverHeader.Count > 0)
        {
            // The same Server header as SSGI responses; the application may replace it.
            context.Response.Headers.Server = _serverHeader;
        }

        _lifetime.Open(context.Features.Get<IHttpRequestLifetimeFeature>(), _generation);
        _applicationContext = _application.CreateContext(features);

        // The request actor hands the request over without its own synchronization context (RequestActor.OnReceive),
        // so the application's awaits continue on the thread pool, as on bare Kestrel. A sender's context (a spec
        // driving the TestKit inline from its own thread) is taken off too.
        Task task;
        var senderContext = SynchronizationContext.Current;
        if (senderContext is null)
        {
            task = _application.ProcessRequestAsync(_applicationContext);
        }
        else
        {
            SynchronizationContext.SetSynchronizationContext(null);
            try
            {
                task = _application.ProcessRequestAsync(_applicationContext);
            }
            finally
            {
                SynchronizationContext.SetSynchronizationContext(senderContext);
            }
        }

        if (task.IsCompletedSuccessfully)
        {
            Finish(null);
        }
        else if (task.IsCompleted)
        {
            // Failed at once: rethrown here, so the supervisor decides (PreRestart calls Crash).
            task.GetAwaiter().GetResult();
        }
        else
        {
            _ = ReportWhenDone(task, _generation);
        }
    }

    private async Task ReportWhenDone(Task task, long generation)
    {
        Exception? error = null;
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            error = ex;
        }

        _self.Tell(new HandlerCompleted(generation, true, error), ActorRefs.NoSender);
    }

    public void OnHandlerCompleted(HandlerCompleted completed)
    {
        if (completed.Generation != _generation || _context is null)
        {
            return;
        }

        if (completed.Error is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(completed.Error);
        }

        Finish(null);
    }

    public void OnClientAborted(ClientAborted aborted) => _lifetime.Fire(aborted.Generation);

    /// <summary>The application failed (supervisor restart) or the actor stopped: 500 before the response started, abort after.</summary>
    public void Crash(Exception? error)
    {
        if (_context is not null)
        {
            var response = _context.Response;
            if (!response.HasStarted)
            {
                response.Headers.Clear();
                if (_serverHeader.Count > 0)
                {
                    response.Headers.Server = _serverHeader;
                }

                response.StatusCode = 500;
                response.ReasonPhrase = null;
                response.Headers.ContentLength = 0;
            }
            else
            {
                _lifetime.Abort();
            }

            Finish(error);
        }
    }

    private void Finish(Exception? error)
    {
        var context = _context!;
        _context = null;
        _generation++;
        var applicationContext = _applicationContext!;
        _applicationContext = null;
        try
        {
            _application.DisposeContext(applicationContext, error);
        }
        finally
        {
            _lifetime.Close();
            context.Complete();
            _release(_self);
        }
    }
}
