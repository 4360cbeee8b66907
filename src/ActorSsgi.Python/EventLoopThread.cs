using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Python.Runtime;

namespace ActorSsgi.Python;

/// <summary>
/// The thread that runs an asyncio event loop for the Python interfaces that have one (asgi, rsgi, Python ssgi). .NET
/// threads hand it work through a queue plus one byte on a pipe the loop watches, so they never wait for the GIL
/// (which the loop holds while Python runs); the loop drains the queue in <see cref="Drain"/>, a burst under one GIL
/// acquisition. The Python half is <c>actorssgi_asgi.Loop</c>; an interface may wrap it (rsgi adds the app's
/// <c>__rsgi_init__</c> and <c>__rsgi_del__</c> around the loop's run).
/// </summary>
public sealed partial class EventLoopThread : IDisposable
{
    private readonly ConcurrentQueue<Action> _work = new();
    private readonly Thread _thread;
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Func<PyObject, PyObject> _createLoop;
    private readonly Func<PythonException, Exception>? _startFailed;
    private readonly Action<PythonException>? _runFailed;
    private PyObject? _loop;
    private int _writeFd = -1;
    private int _signalled;

    /// <summary>The plain loop (asgi, Python ssgi): <c>actorssgi_asgi.Loop(bridge)</c>.</summary>
    internal EventLoopThread()
        : this("actorssgi-asgi-loop", static bridge =>
        {
            using var module = Py.Import("actorssgi_asgi");
            return module.GetAttr("Loop").Invoke(bridge);
        })
    {
    }

    /// <summary>Starts the thread and waits until its loop exists.</summary>
    /// <param name="name">The thread's name.</param>
    /// <param name="createLoop">Makes the Python loop object (with <c>write_fd</c>, <c>run</c>, <c>stop</c>) from this bridge; runs under the GIL.</param>
    /// <param name="startFailed">What a Python exception while making it becomes (the start's error), or <c>null</c> to keep it.</param>
    /// <param name="runFailed">What to do with a Python exception from <c>run</c> (the loop's end), or <c>null</c> to let it escape.</param>
    internal EventLoopThread(string name, Func<PyObject, PyObject> createLoop, Func<PythonException, Exception>? startFailed = null, Action<PythonException>? runFailed = null)
    {
        _createLoop = createLoop;
        _startFailed = startFailed;
        _runFailed = runFailed;
        _thread = new Thread(Run) { IsBackground = true, Name = name };
        _thread.Start();
        _started.Task.GetAwaiter().GetResult();
    }

    /// <summary>Queues <paramref name="work"/> to run on the loop thread under the GIL.</summary>
    internal void Post(Action work)
    {
        _work.Enqueue(work);

        // One byte wakes the loop for any number of items: only the first post after a drain writes.
        if (Interlocked.Exchange(ref _signalled, 1) == 0)
        {
            byte one = 1;
            unsafe
            {
                _ = Write(_writeFd, &one, 1);
            }
        }
    }

    /// <summary>Runs the queued work; called by the loop when the pipe is readable.</summary>
    public void Drain()
    {
        Volatile.Write(ref _signalled, 0);
        if (_work.IsEmpty)
        {
            return;
        }

        using (Py.GIL())
        {
            while (_work.TryDequeue(out var work))
            {
                work();
            }
        }
    }

    /// <summary>Stops the loop and waits (bounded) for the thread to end, so what runs after the loop (<c>__rsgi_del__</c>) has run.</summary>
    public void Dispose()
    {
        if (_loop is not null)
        {
            Post(() => _loop.InvokeMethod("stop").Dispose());
            if (Thread.CurrentThread != _thread)
            {
                _thread.Join(TimeSpan.FromSeconds(10));
            }
        }
    }

    private void Run()
    {
        using (Py.GIL())
        {
            try
            {
                _loop = _createLoop(PyObject.FromManagedObject(this));
                _writeFd = _loop.GetAttr("write_fd").As<int>();
                _started.TrySetResult();
            }
            catch (PythonException error) when (_startFailed is not null)
            {
                _started.TrySetException(_startFailed(error));
                return;
            }
            catch (Exception error)
            {
                _started.TrySetException(error);
                return;
            }

            try
            {
                _loop.InvokeMethod("run").Dispose();
            }
            catch (PythonException error) when (_runFailed is not null)
            {
                _runFailed(error);
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static unsafe partial nint Write(int fd, byte* buffer, nint count);
}
