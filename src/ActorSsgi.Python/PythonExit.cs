using System.Runtime.InteropServices;
using Python.Runtime;

namespace ActorSsgi.Python;

/// <summary>
/// Ending a process that embeds CPython, once its server has stopped. pythonnet's own exit handler shuts the
/// interpreter down by collecting every .NET and Python object in repeated full garbage collections: measured on the
/// Python ssgi bench app, the process took 1 s to exit when idle and 3-7 s after <c>wrk -c256</c>, most of it in
/// back-to-back collections, so a supervisor's stop timeout (the benchmark harness waits 10 s) could kill it. A
/// server process has nothing left to clean up by then except what the application asked for at exit.
/// </summary>
public static partial class PythonExit
{
    /// <summary>
    /// Runs the application's <c>atexit</c> functions and flushes <c>sys.stdout</c> and <c>sys.stderr</c> (as a normal
    /// Python exit does), flushes .NET's console, then ends the process with <paramref name="exitCode"/> at once,
    /// without the runtimes' exit handlers. Does nothing and returns when the interpreter was never started.
    /// </summary>
    /// <param name="exitCode">The process's exit code.</param>
    public static void Now(int exitCode)
    {
        if (!PythonRuntime.IsInitialized || !OperatingSystem.IsLinux())
        {
            return;
        }

        using (Py.GIL())
        {
            try
            {
                using var atexit = Py.Import("atexit");
                atexit.InvokeMethod("_run_exitfuncs").Dispose();
                using var sys = Py.Import("sys");
                sys.GetAttr("stdout").InvokeMethod("flush").Dispose();
                sys.GetAttr("stderr").InvokeMethod("flush").Dispose();
            }
            catch (PythonException error)
            {
                Console.Error.WriteLine("actorssgi: an atexit function failed: " + error.Message.ReplaceLineEndings(" "));
            }
        }

        Console.Out.Flush();
        Console.Error.Flush();
        Exit(exitCode);
    }

    [LibraryImport("libc", EntryPoint = "_exit")]
    private static partial void Exit(int status);
}
