using ActorSsgi.Server;
using Akka.Actor;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace ActorSsgi.Http;

/// <summary>
/// The end of a request: finishing it once nothing can use it any more, answering for a handler that returned
/// without responding or crashed, and aborting exactly once (with on_aborted).
/// </summary>
internal sealed partial class HttpExchange
{
    /// <summary>Finishes the request when nothing can still use it.</summary>
    private void TryFinish()
    {
        if (_context is null || _inEntryCall || _flushing is not null || _sendingFile)
        {
            return;
        }

        if (_state.IsFinal())
        {
            if (!_entryRunning || _headersExpired)
            {
                Finish();
            }

            return;
        }

        if (!_entryRunning && _runAsyncPending == 0 && _onAborted is null)
        {
            _logger.LogError(
                "The SSGI handler for {Method} {Path} returned without ending the response and without RunAsync or OnAborted; the server ended it.",
                _context.Request.Method,
                _context.Request.Path);
            EndWithError(500);
            Finish();
        }
    }

    /// <summary>Handler crash (from the supervisor's restart) or actor stop: 500 if nothing was sent, abort otherwise.</summary>
    public void Crash()
    {
        if (_context is null)
        {
            return;
        }

        _inEntryCall = false;
        if (!_state.IsFinal())
        {
            EndWithError(500);
        }

        if (_flushing is not null || _sendingFile)
        {
            // A write is still in flight: the connection cannot be completed cleanly.
            _context.Features.Get<IHttpRequestLifetimeFeature>()?.Abort();
        }

        _flushing = null;
        Finish();
    }

    private void EndWithError(int status)
    {
        if (_state.CanSetHead())
        {
            _head.Headers.Clear();
            if (_serverHeader.Count > 0)
            {
                _head.Headers.Server = _serverHeader;
            }

            _head.StatusCode = status;
            _head.Headers.ContentLength = 0;
            _state = HttpResponseState.Ended;
        }
        else
        {
            Abort();
        }
    }

    /// <summary>Kestrel said the client went away.</summary>
    public void OnClientAborted(ClientAborted aborted)
    {
        if (aborted.Generation == _generation && _context is not null && !_state.IsFinal())
        {
            Abort();
            TryFinish();
        }
    }

    /// <summary>
    /// Moves to Aborted exactly once and runs on_aborted. With <paramref name="dropConnection"/> Kestrel is told to
    /// drop the connection; without it the server has answered on the handler's behalf (413 or 400 while reading
    /// the body) and that answer still goes out.
    /// </summary>
    private void Abort(bool dropConnection = true)
    {
        if (_state.IsFinal() || _context is null)
        {
            return;
        }

        _state = HttpResponseState.Aborted;
        if (dropConnection)
        {
            _context.Features.Get<IHttpRequestLifetimeFeature>()?.Abort();
        }

        var handler = _onAborted;
        _onAborted = null;
        if (handler is null)
        {
            return;
        }

        try
        {
            handler.Invoke(_response!, this);
        }
        catch (Exception ex)
        {
            // on_aborted runs inside whichever call noticed the abort: its failure must not become that call's.
            _logger.LogError(ex, "An on_aborted handler failed.");
        }
    }

    /// <summary>A call marshalled from another thread was invalid by the time it ran; its caller cannot be told.</summary>
    internal void LogIgnoredCall(InvalidOperationException error) =>
        _logger.LogWarning(error, "A call made from outside the request's actor was ignored: {Reason}", error.Message);

    internal void ObserveAbortHandler(ValueTask task)
    {
        if (!task.IsCompletedSuccessfully)
        {
            _ = ObserveAbortHandlerAsync(task);
        }
    }

    private async Task ObserveAbortHandlerAsync(ValueTask task)
    {
        try
        {
            await task;
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "An on_aborted handler failed.");
        }
    }

    private void Finish()
    {
        var context = _context!;
        // Unregister, not Dispose: Dispose waits for an abort callback already running, and that callback may be
        // blocked telling this actor while it is still a placeholder whose hand-over is running this very code under
        // the placeholder's lock (seen in the abort-storm fault test: the callback's Tell timed out after 10 s and went
        // to dead letters). A late ClientAborted is ignored anyway: it carries the finished request's generation.
        _abortRegistration.Unregister();
        _abortRegistration = default;
        ReleaseBody();
        _response?.Detach(_state == HttpResponseState.Aborted);
        _response = null;
        _context = null;
        _state = HttpResponseState.Idle;
        _generation++; // awaits of the finished request (a chunk waiting for a flush) now see it as over
        _entryRunning = _headersExpired = false;
        _runAsyncPending = 0;
        _onAborted = null;
        _totalSize = null;
        context.BytesSent = _bytesSent;
        _bytesSent = 0;
        _flushing = null;
        _sendingFile = false;
        _headFlushed = false;
        context.Complete();
        _release(_self);
    }
}
