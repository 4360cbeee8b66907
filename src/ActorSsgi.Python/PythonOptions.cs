namespace ActorSsgi.Python;

/// <summary>The embedded CPython's settings, bound from <c>ActorSsgi:Python</c>.</summary>
public sealed class PythonOptions
{
    /// <summary>The configuration section: <c>ActorSsgi:Python</c>.</summary>
    public const string SectionName = "ActorSsgi:Python";

    /// <summary>
    /// The full path of <c>libpython3.x.so</c>. Unset: Debian's <c>/usr/lib/x86_64-linux-gnu/libpython3.11.so.1.0</c> when
    /// present, otherwise what <c>/usr/bin/python3</c>'s <c>sysconfig</c> names.
    /// </summary>
    public string? Library { get; set; }

    /// <summary>
    /// Directories added to <c>sys.path</c> after the interpreter's own; Debian's <c>/usr/lib/python3/dist-packages</c>
    /// (where <c>python3-flask</c> and friends live) is always added when it exists.
    /// </summary>
    public List<string> Paths { get; set; } = [];

    /// <summary>The application's directory, put first on <c>sys.path</c> (uvicorn's <c>--app-dir</c>); unset: the current directory.</summary>
    public string? AppDir { get; set; }

    /// <summary>
    /// How many threads call WSGI applications (each holds the GIL only while Python runs). 1 (the default) is the
    /// fastest for CPU-bound apps (measured: two threads calling Flask are slower than one); more lets a handler that
    /// blocks on I/O (<c>time.sleep</c>, a database) stop blocking the others. <c>wsgi.multithread</c> is true above 1.
    /// </summary>
    public int WsgiThreads { get; set; } = 1;

    /// <summary>
    /// How many received WebSocket messages wait for an ASGI app's <c>receive()</c> per session (uvicorn's
    /// <c>--ws-max-queue</c>, default 32). When the queue is full the server reads no further frame from that client
    /// until the app takes one, so TCP backpressure reaches the client; nothing is dropped or closed.
    /// </summary>
    public int AsgiWebSocketQueue { get; set; } = 32;
}
