using System.Diagnostics;

namespace ActorSsgi.Telemetry;

/// <summary>
/// Makes a request's span <see cref="Activity.Current"/> while its actor runs the handler's first call, then puts
/// back what was current. The handler's awaits capture it with their execution context, so its continuations (which
/// resume as messages to the actor, possibly on other threads) see it too. Used only when the request has a span.
/// </summary>
internal readonly struct CurrentSpan : IDisposable
{
    private readonly Activity? _previous;

    public CurrentSpan(Activity span)
    {
        _previous = Activity.Current;
        Activity.Current = span;
    }

    public void Dispose() => Activity.Current = _previous;
}
