using ActorSsgi.Dispatch;
using ActorSsgi.Server;
using Akka.Actor;
using Microsoft.Extensions.Logging;

namespace ActorSsgi.Http;

/// <summary>
/// Owns one HTTP request at a time: runs its handler, and takes in its network events (client abort, body data,
/// write completions) and every await of its handler as messages. Pooled: after a request is finished the actor
/// goes back to <see cref="RequestActorPool"/> with its state reset; after a handler crash the supervisor restarts
/// it, so a fresh instance (never the dirty one) serves the next request.
/// </summary>
internal sealed class RequestActor : UntypedActor
{
    private readonly HttpExchange _exchange;
    private readonly HostedExchange? _hosted;
    private readonly ActorSynchronizationContext _synchronizationContext;
    private bool _stopped;

    public RequestActor(SsgiGateway gateway, RequestActorPool pool, ILogger logger, string serverHeader, FileRoot? files)
    {
        // A stopped actor must never go back to the pool: requests sent to it would reach dead letters.
        _exchange = new HttpExchange(Self, gateway, logger, serverHeader, files, self =>
        {
            if (!_stopped)
            {
                pool.Return(self);
            }
        });
        _synchronizationContext = new ActorSynchronizationContext(Self);
        if (gateway.HostedHttp is { } application)
        {
            _hosted = new HostedExchange(Self, application, serverHeader, self =>
            {
                if (!_stopped)
                {
                    pool.Return(self);
                }
            });
        }
    }

    public static Props Props(SsgiGateway gateway, RequestActorPool pool, ILogger logger, string serverHeader, string dispatcher, FileRoot? files = null) =>
        Akka.Actor.Props.Create(() => new RequestActor(gateway, pool, logger, serverHeader, files)).WithDispatcher(dispatcher);

    protected override void OnReceive(object message)
    {
        if (_hosted is not null && message is SsgiRequestContext or HandlerCompleted)
        {
            // A hosted application runs without the actor's context (see HostedExchange), so its start and end skip
            // the two thread-local swaps; an abort or a posted callback still runs in the actor's context below.
            ReceiveHosted(message);
            return;
        }

        var previousExchange = HttpExchange.Current;
        var previousContext = SynchronizationContext.Current;
        HttpExchange.Current = _exchange;
        SynchronizationContext.SetSynchronizationContext(_synchronizationContext);
        try
        {
            if (_hosted is not null)
            {
                ReceiveHosted(message);
                return;
            }

            switch (message)
            {
                case SsgiRequestContext context when context.Observation?.Activity is { } span:
                    using (new Telemetry.CurrentSpan(span))
                    {
                        _exchange.Serve(context);
                    }

                    break;
                case SsgiRequestContext context:
                    _exchange.Serve(context);
                    break;
                case RunInActor run:
                    run.Callback(run.State);
                    break;
                case ClientAborted aborted:
                    _exchange.OnClientAborted(aborted);
                    break;
                case HandlerCompleted completed:
                    _exchange.OnHandlerCompleted(completed);
                    break;
                case HandlerFailed failed when failed.Generation == _exchange.Generation:
                    System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failed.Error);
                    break;
                case HandlerFailed:
                    break;
                default:
                    Unhandled(message);
                    break;
            }
        }
        finally
        {
            HttpExchange.Current = previousExchange;
            SynchronizationContext.SetSynchronizationContext(previousContext);
        }
    }

    protected override bool AroundReceive(Receive receive, object message)
    {
        try
        {
            return base.AroundReceive(receive, message);
        }
        catch (Exception error) when (CrashLog.Tag(error, CrashRoute()))
        {
            // Never entered: the filter only notes the request's path for the supervisor's crash log, and runs only
            // when a handler throws, so a request that does not fail pays nothing for it.
            throw;
        }
    }

    private string? CrashRoute() => _hosted is not null ? _hosted.Path : _exchange.Path;

    /// <summary>The same life for a request of a hosted application (ASP.NET Core): see <see cref="HostedExchange"/>.</summary>
    private void ReceiveHosted(object message)
    {
        switch (message)
        {
            case SsgiRequestContext context:
                _hosted!.Serve(context);
                break;
            case ClientAborted aborted:
                _hosted!.OnClientAborted(aborted);
                break;
            case HandlerCompleted completed:
                _hosted!.OnHandlerCompleted(completed);
                break;
            case RunInActor run:
                run.Callback(run.State);
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    protected override void PreRestart(Exception reason, object message)
    {
        // The old instance ends its request (500 before the status went out, abort after) before it is replaced.
        if (_hosted is not null)
        {
            _hosted.Crash(reason);
        }
        else
        {
            RunInContext(_exchange.Crash);
        }

        base.PreRestart(reason, message);
    }

    protected override void PostStop()
    {
        _stopped = true;
        if (_hosted is not null)
        {
            _hosted.Crash(null);
        }
        else
        {
            RunInContext(_exchange.Crash);
        }
    }

    private void RunInContext(Action action)
    {
        var previous = HttpExchange.Current;
        HttpExchange.Current = _exchange;
        try
        {
            action();
        }
        finally
        {
            HttpExchange.Current = previous;
        }
    }
}
