using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Python.Runtime;

namespace ActorSsgi.Python.Asgi;

/// <summary>
/// The thread that runs the asyncio event loop for ASGI applications (<c>actorssgi-asgi-loop</c>). .NET threads hand
/// it work through a queue plus one byte on a pipe the loop watches, so they never wait for the GIL (which the loop
/// holds while Python runs); the loop drains the queue in <see cref="Drain"/>, each item under the GIL.
/// </summary>
/// <remarks>Public only because Python calls <see cref="Drain"/> through pythonnet.</remarks>
public sealed partial class AsgiLoop : IDisposable
{
    private readonly ConcurrentQueue<Action> _work = new();
    private readonly Thread _thread;
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private PyObject? _loop;
    private int _writeFd = -1;
    private int _signalled;

    internal AsgiLoop()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "actorssgi-asgi-loop" };
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
        while (_work.TryDequeue(out var work))
        {
            using (Py.GIL())
            {
                work();
            }
        }
    }

    /// <summary>Stops the loop.</summary>
    public void Dispose()
    {
        if (_loop is not null)
        {
            Post(() => _loop.InvokeMethod("stop").Dispose());
        }
    }

    private void Run()
    {
        using (Py.GIL())
        {
            try
            {
                using var module = Py.Import("actorssgi_asgi");
                _loop = module.GetAttr("Loop").Invoke(PyObject.FromManagedObject(this));
                _writeFd = _loop.GetAttr("write_fd").As<int>();
                _started.TrySetResult();
            }
            catch (Exception error)
            {
                _started.TrySetException(error);
                return;
            }

            _loop.InvokeMethod("run").Dispose();
        }
    }

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static unsafe partial nint Write(int fd, byte* buffer, nint count);
}
