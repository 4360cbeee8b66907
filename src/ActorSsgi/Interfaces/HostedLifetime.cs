using ActorSsgi.Http;
using Akka.Actor;
using Microsoft.AspNetCore.Http.Features;

namespace ActorSsgi.Interfaces;

/// <summary>
/// A hosted application's <see cref="IHttpRequestLifetimeFeature"/>, owned by the request actor. Kestrel's abort
/// signal is turned into a <see cref="ClientAborted"/> message to the actor, and <see cref="RequestAborted"/> fires
/// when the actor takes that message in: the actor, not Kestrel's thread, decides when the request is over. The
/// token and the watch on Kestrel's are made only when the application asks for the token.
/// </summary>
internal sealed class HostedLifetime(IActorRef owner) : IHttpRequestLifetimeFeature
{
    private IHttpRequestLifetimeFeature? _kestrel;
    private CancellationTokenSource? _aborted;
    private CancellationTokenRegistration _watch;
    private bool _watching;
    private long _generation;
    private CancellationToken? _replacement;

    public CancellationToken RequestAborted
    {
        get
        {
            if (_replacement is { } replacement)
            {
                return replacement;
            }

            _aborted ??= new CancellationTokenSource();
            if (!_watching && _kestrel is not null)
            {
                _watching = true;
                _watch = _kestrel.RequestAborted.UnsafeRegister(
                    static state =>
                    {
                        var (self, message) = ((IActorRef, ClientAborted))state!;
                        Dispatch.InlineDispatcher.TellDeferred(self, message);
                    },
                    (owner, new ClientAborted(_generation)));
            }

            return _aborted.Token;
        }

        // ASP.NET Core lets middleware replace the token; the replacement lasts for this request.
        set => _replacement = value;
    }

    /// <summary>Starts a request.</summary>
    public void Open(IHttpRequestLifetimeFeature? kestrel, long generation)
    {
        _kestrel = kestrel;
        _generation = generation;
    }

    /// <summary>The client went away (in the actor): the application's token fires here.</summary>
    public void Fire(long generation)
    {
        if (generation == _generation && _aborted is { IsCancellationRequested: false } aborted)
        {
            aborted.Cancel();
        }
    }

    public void Abort() => _kestrel?.Abort();

    /// <summary>Ends the request: the watch goes, and the token is kept for the next request if it never fired.</summary>
    public void Close()
    {
        if (_watching)
        {
            _watch.Dispose();
            _watch = default;
            _watching = false;
        }

        if (_aborted is not null && !_aborted.TryReset())
        {
            _aborted.Dispose();
            _aborted = null;
        }

        _kestrel = null;
        _replacement = null;
    }
}
