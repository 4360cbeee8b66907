using System.Buffers;
using System.IO.Pipelines;

namespace ActorSsgi.TestKit.Http.Transport;

/// <summary>
/// The client end of the response: reads what the server flushes through a pipe (so the server meets real
/// backpressure when reading is paused), and records the head, the body, events and transport misuse.
/// Thread-safe: the server writes from its actor, the test reads from its own thread.
/// </summary>
internal sealed class ResponseRecorder
{
    private readonly object _gate = new();
    private readonly Pipe _pipe;
    private readonly ArrayBufferWriter<byte> _received = new();
    private readonly List<SyntheticResponseEvent> _events = [];
    private readonly List<string> _violations = [];
    private readonly List<(int Length, TaskCompletionSource Signal)> _waiters = [];
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _bodyEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource? _paused;
    private ResponseHead? _head;
    private bool _clientAborted;
    private bool _serverAborted;
    private bool _bodyComplete;

    public ResponseRecorder(int bufferSize, bool paused)
    {
        if (paused)
        {
            _paused = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        // Awaits on this pipe resume on the awaiting code's SynchronizationContext, as Kestrel's flushes do (they
        // complete through async methods): a handler's flush resumes inside its request actor.
        _pipe = new Pipe(new PipeOptions(
            pauseWriterThreshold: bufferSize,
            resumeWriterThreshold: Math.Max(1, bufferSize / 2),
            useSynchronizationContext: true));
        _ = Task.Run(ReadLoopAsync);
    }

    /// <summary>The server's end of the connection.</summary>
    public PipeWriter Writer => _pipe.Writer;

    public Task Started => _started.Task;

    /// <summary>Completes when the client stopped reading: the body ended, or the connection was dropped.</summary>
    public Task BodyEnded => _bodyEnded.Task;

    public ResponseHead? Head
    {
        get
        {
            lock (_gate)
            {
                return _head;
            }
        }
    }

    public bool ClientAborted
    {
        get
        {
            lock (_gate)
            {
                return _clientAborted;
            }
        }
    }

    public bool ServerAborted
    {
        get
        {
            lock (_gate)
            {
                return _serverAborted;
            }
        }
    }

    public bool IsAborted
    {
        get
        {
            lock (_gate)
            {
                return _clientAborted || _serverAborted;
            }
        }
    }

    public bool BodyComplete
    {
        get
        {
            lock (_gate)
            {
                return _bodyComplete;
            }
        }
    }

    public byte[] Body()
    {
        lock (_gate)
        {
            return _received.WrittenSpan.ToArray();
        }
    }

    public int BodyLength
    {
        get
        {
            lock (_gate)
            {
                return _received.WrittenCount;
            }
        }
    }

    public SyntheticResponseEvent[] Events()
    {
        lock (_gate)
        {
            return [.. _events];
        }
    }

    public string[] Violations()
    {
        lock (_gate)
        {
            return [.. _violations];
        }
    }

    public void Record(SyntheticResponseEvent e)
    {
        lock (_gate)
        {
            _events.Add(e);
        }
    }

    public void Violation(string message)
    {
        lock (_gate)
        {
            _violations.Add(message);
        }
    }

    /// <summary>The head went on the wire; later calls are ignored.</summary>
    public void OnStarted(ResponseHead head)
    {
        lock (_gate)
        {
            if (_head is not null)
            {
                return;
            }

            _head = head;
            _events.Add(SyntheticResponseEvent.Started);
        }

        _started.TrySetResult();
    }

    /// <summary>The connection dropped: nothing more is read, pending flushes return. False when it already was.</summary>
    public bool Abort(bool byClient)
    {
        TaskCompletionSource? paused;
        lock (_gate)
        {
            var first = !_clientAborted && !_serverAborted;
            if (byClient)
            {
                _clientAborted = true;
            }
            else
            {
                _serverAborted = true;
            }

            _events.Add(byClient ? SyntheticResponseEvent.ClientAborted : SyntheticResponseEvent.ServerAborted);
            if (!first)
            {
                return false;
            }

            paused = _paused;
            _paused = null;
        }

        paused?.TrySetResult();
        _pipe.Reader.CancelPendingRead();
        return true;
    }

    public void PauseReading()
    {
        lock (_gate)
        {
            _paused ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    public void ResumeReading()
    {
        TaskCompletionSource? paused;
        lock (_gate)
        {
            paused = _paused;
            _paused = null;
        }

        paused?.TrySetResult();
    }

    /// <summary>Completes when at least <paramref name="length"/> body bytes arrived; fails if the body ends first.</summary>
    public Task WaitForBody(int length)
    {
        lock (_gate)
        {
            if (_received.WrittenCount >= length)
            {
                return Task.CompletedTask;
            }

            if (_bodyEnded.Task.IsCompleted)
            {
                return Task.FromException(TooShort(length));
            }

            var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((length, signal));
            return signal.Task;
        }
    }

    private async Task ReadLoopAsync()
    {
        var reader = _pipe.Reader;
        try
        {
            while (true)
            {
                Task? paused;
                lock (_gate)
                {
                    if (_clientAborted || _serverAborted)
                    {
                        break;
                    }

                    paused = _paused?.Task;
                }

                if (paused is not null)
                {
                    await paused.ConfigureAwait(false);
                    continue;
                }

                var result = await reader.ReadAsync().ConfigureAwait(false);
                var completed = result.IsCompleted;
                lock (_gate)
                {
                    if (!_clientAborted && !_serverAborted)
                    {
                        foreach (var segment in result.Buffer)
                        {
                            _received.Write(segment.Span);
                        }

                        _bodyComplete = completed;
                        ReleaseWaiters(ended: false);
                    }
                }

                reader.AdvanceTo(result.Buffer.End);
                if (completed)
                {
                    break;
                }
            }
        }
        catch (Exception ex)
        {
            Violation($"The response body ended with an error: {ex.GetType().Name}: {ex.Message}");
        }
        finally
        {
            // The client hangs up: the server's pending and later flushes see a completed reader.
            await reader.CompleteAsync().ConfigureAwait(false);
            lock (_gate)
            {
                ReleaseWaiters(ended: true);
            }

            _bodyEnded.TrySetResult();
        }
    }

    private void ReleaseWaiters(bool ended)
    {
        for (var i = _waiters.Count - 1; i >= 0; i--)
        {
            var (length, signal) = _waiters[i];
            if (_received.WrittenCount >= length)
            {
                signal.TrySetResult();
                _waiters.RemoveAt(i);
            }
            else if (ended)
            {
                signal.TrySetException(TooShort(length));
                _waiters.RemoveAt(i);
            }
        }
    }

    private InvalidOperationException TooShort(int length) => new(
        $"The response body ended after {_received.WrittenCount} bytes, before the {length} awaited" +
        (_clientAborted || _serverAborted ? " (the connection was aborted)." : "."));
}
