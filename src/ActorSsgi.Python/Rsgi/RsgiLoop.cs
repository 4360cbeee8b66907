using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Python.Runtime;

namespace ActorSsgi.Python.Rsgi;

/// <summary>
/// The thread that runs the RSGI application's asyncio event loop (<c>actorssgi-rsgi-loop</c>), as the ASGI loop
/// does: .NET threads hand it work through a queue plus one byte on a pipe the loop watches, so they never wait for
/// the GIL. Unlike the ASGI loop it calls the app's <c>__rsgi_init__(loop)</c> before the loop runs and
/// <c>__rsgi_del__(loop)</c> after it stopped, and it drains a burst of work under one GIL acquisition.
/// </summary>
/// <remarks>Public only because Python calls <see cref="Drain"/> through pythonnet.</remarks>
public sealed partial class RsgiLoop : IDisposable
{
    private readonly ConcurrentQueue<Action> _work = new();
    private readonly Thread _thread;
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly PyObject _app;
    private readonly ILogger _logger;
    private PyObject? _loop;
    private int _writeFd = -1;
    private int _signalled;

    internal RsgiLoop(PyObject app, ILogger logger)
    {
        _app = app;
        _logger = logger;
        _thread = new Thread(Run) { IsBackground = true, Name = "actorssgi-rsgi-loop" };
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

    /// <summary>Stops the loop; the app's <c>__rsgi_del__</c> then runs on the loop thread (bounded wait).</summary>
    public void Dispose()
    {
        if (_loop is not null)
        {
            Post(() => _loop.InvokeMethod("stop").Dispose());
            _thread.Join(TimeSpan.FromSeconds(10));
        }
    }

    private void Run()
    {
        using (Py.GIL())
        {
            try
            {
                using var module = Py.Import("actorssgi_rsgi");
                _loop = module.GetAttr("Loop").Invoke(PyObject.FromManagedObject(this), _app);
                _writeFd = _loop.GetAttr("write_fd").As<int>();
                _started.TrySetResult();
            }
            catch (PythonException error)
            {
                _started.TrySetException(new InvalidOperationException(
                    "The RSGI application's __rsgi_init__ failed:" + Environment.NewLine + PythonRuntime.Describe(error), error));
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
            catch (PythonException error)
            {
                _logger.LogError("The RSGI application's __rsgi_del__ failed: {Traceback}", PythonRuntime.Describe(error));
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static unsafe partial nint Write(int fd, byte* buffer, nint count);
}
