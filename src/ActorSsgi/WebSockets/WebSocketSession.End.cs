using System.Net.WebSockets;
using Akka.Actor;
using Microsoft.Extensions.Logging;

namespace ActorSsgi.WebSockets;

/// <summary>How a session ends: on_close once, what it holds released, Kestrel told, the actor stopped last.</summary>
internal sealed partial class WebSocketSession
{
    /// <summary>
    /// A handler crashed: 500 if still pending, close 1011 if open. Called inside the actor when the failure is
    /// caught (on_close then runs in the actor, which stops once on_close has finished), and again from PostStop
    /// when the actor stops for any other reason (<paramref name="actorStopping"/>: nothing more can run in it).
    /// </summary>
    public void Crash(bool actorStopping)
    {
        if (_completion is null)
        {
            return;
        }

        switch (State)
        {
            case SessionState.Pending:
                try
                {
                    RejectNow(500, default, null);
                }
                catch (InvalidOperationException)
                {
                    // The response had started; let Kestrel abort it.
                    End();
                }

                return;
            case SessionState.Accepted or SessionState.Closing:
                // Kestrel is told once the 1011 close went out, so the connection stays ours until then.
                var completion = _completion;
                _completion = null;
                var socket = _socket;
                NotifyClosed(1011, "internal error", stopActor: !actorStopping, releaseConnection: false);
                _ = CloseAfterCrashAsync(socket, _stream, completion);
                return;
            default:
                End();
                return;
        }
    }

    private static async Task CloseAfterCrashAsync(WebSocket? socket, SessionStream? stream, TaskCompletionSource completion)
    {
        if (socket is not null)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await socket.CloseOutputAsync((WebSocketCloseStatus)1011, "internal error", timeout.Token).ConfigureAwait(false);
            }
            catch (Exception)
            {
                // The frame did not go out (the client reads nothing, or is gone): drop the connection.
                stream?.AbortRequest();
            }

            socket.Abort();
            socket.Dispose();
        }

        stream?.Detach();
        completion.TrySetResult();
    }

    /// <summary>
    /// The accepted session is over: released first (topics, keys, facade, slot; with
    /// <paramref name="releaseConnection"/> the connection too, Kestrel told once on_close has started), then on_close
    /// once, then the actor stops when on_close has finished (unless <paramref name="stopActor"/> is false: it is
    /// stopping already).
    /// </summary>
    private void NotifyClosed(int code, string? reason, bool stopActor = true, bool releaseConnection = true)
    {
        if (State == SessionState.Closed)
        {
            return;
        }

        var wasOpen = State is SessionState.Accepted or SessionState.Closing;
        State = SessionState.Closed;
        _endedWith = code;
        if (releaseConnection)
        {
            _socket?.Dispose();
        }

        Release(releaseConnection);
        var onClose = _onClose;
        _onClose = null;
        _onReceive = null;
        var closing = ValueTask.CompletedTask;
        if (wasOpen && onClose is not null)
        {
            try
            {
                closing = onClose.Invoke(_facade!, code, reason);
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "An on_close handler failed.");
            }
        }

        if (releaseConnection)
        {
            CompleteConnection();
        }

        AfterClose(closing, stopActor);
    }

    /// <summary>
    /// Waits for on_close (its failure is logged), then stops the actor: on_close's awaits resume as messages to
    /// this actor, so stopping it earlier would drop the rest of on_close (its cleanup after the first await).
    /// </summary>
    private void AfterClose(ValueTask closing, bool stopActor)
    {
        if (!closing.IsCompletedSuccessfully)
        {
            _ = AfterCloseAsync(closing, stopActor);
        }
        else if (stopActor)
        {
            _self.Tell(PoisonPill.Instance, ActorRefs.NoSender);
        }
    }

    private async Task AfterCloseAsync(ValueTask closing, bool stopActor)
    {
        try
        {
            await closing;
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "An on_close handler failed.");
        }

        if (stopActor)
        {
            _self.Tell(PoisonPill.Instance, ActorRefs.NoSender);
        }
    }

    /// <summary>The session is over without on_close (rejected, or never accepted): released, and its actor stopped.</summary>
    private void End()
    {
        Release(releaseConnection: true);
        CompleteConnection();
        _self.Tell(PoisonPill.Instance, ActorRefs.NoSender);
    }

    /// <summary>
    /// Gives back what the session holds: its topics and keys, its facade (later calls get their after-the-end
    /// answers), its <c>MaxSessions</c> slot and, with <paramref name="releaseConnection"/>, Kestrel's request.
    /// </summary>
    private void Release(bool releaseConnection)
    {
        _context?.Observation?.EndSession(_context, _endedWith, _messagesReceived, _messagesSent);
        _topics?.LeaveAll();
        _keys?.UnbindAll();
        _facade?.Detach();
        _context = null;
        _gateway.SessionEnded(_self);
        if (releaseConnection)
        {
            // Kestrel may hand the request's features to another request once told: never abort it from now on.
            _stream?.Detach();
        }
    }

    /// <summary>
    /// Tells Kestrel (or the TestKit) that the server is done with the connection. After <see cref="Release"/> and,
    /// for an accepted session, after on_close was started, so whoever awaits the connection's end sees on_close's
    /// synchronous part done.
    /// </summary>
    private void CompleteConnection()
    {
        var completion = _completion;
        _completion = null;
        completion?.TrySetResult();
    }
}
