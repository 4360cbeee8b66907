using System.Reflection;
using Python.Runtime;

namespace ActorSsgi.Python;

/// <summary>
/// The process's one embedded CPython. CPython can be initialized once per process, so this is static: the first
/// <see cref="Initialize"/> loads libpython, later ones only add their paths. After start no thread holds the GIL;
/// each thread that runs Python takes it (<see cref="Py.GIL"/>) for as long as Python runs.
/// </summary>
public static class PythonRuntime
{
    private const string DebianDistPackages = "/usr/lib/python3/dist-packages";
    private static readonly Lock Gate = new();
    private static PyObject? _stringAt;

    /// <summary>Whether the interpreter has been started.</summary>
    public static bool IsInitialized { get; private set; }

    /// <summary>
    /// Starts the interpreter (once per process) and puts <see cref="PythonOptions.AppDir"/> first and
    /// <see cref="PythonOptions.Paths"/> plus Debian's dist-packages last on <c>sys.path</c>.
    /// </summary>
    /// <param name="options">The settings.</param>
    /// <exception cref="PythonLoadException">No libpython could be found or loaded.</exception>
    public static void Initialize(PythonOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        lock (Gate)
        {
            if (!IsInitialized)
            {
                Runtime.PythonDLL = PythonLibraryLocator.Locate(options.Library);
                try
                {
                    PythonEngine.Initialize();
                }
                catch (Exception error) when (error is DllNotFoundException or BadImageFormatException or TypeInitializationException)
                {
                    throw new PythonLoadException($"Could not load libpython '{Runtime.PythonDLL}': {error.Message}", error);
                }

                using (Py.GIL())
                {
                    _stringAt = Py.Import("ctypes").GetAttr("string_at");
                    foreach (var module in new[] { "actorssgi_wsgi", "actorssgi_asgi", "actorssgi_rsgi" })
                    {
                        LoadEmbeddedModule(module);
                    }
                }

                // From here on the GIL is free; every thread that calls Python takes it for just that call.
                PythonEngine.BeginAllowThreads();
                IsInitialized = true;
            }

            using (Py.GIL())
            {
                using var sys = Py.Import("sys");
                using var path = sys.GetAttr("path");
                var appDir = Path.GetFullPath(options.AppDir ?? Directory.GetCurrentDirectory());
                if (!Contains(path, appDir))
                {
                    path.InvokeMethod("insert", new PyInt(0), new PyString(appDir));
                }

                foreach (var extra in options.Paths.Append(DebianDistPackages))
                {
                    if (Directory.Exists(extra) && !Contains(path, extra))
                    {
                        path.InvokeMethod("append", new PyString(extra));
                    }
                }
            }
        }
    }

    /// <summary>Python <c>bytes</c> holding a copy of <paramref name="data"/>; the caller holds the GIL.</summary>
    internal static unsafe PyObject ToBytes(ReadOnlySpan<byte> data)
    {
        fixed (byte* pointer = data)
        {
            // ctypes.string_at copies the memory into a new bytes object in one step (no per-byte conversion).
            using var address = new PyInt((long)pointer);
            using var length = new PyInt(data.Length);
            return _stringAt!.Invoke(address, length);
        }
    }

    /// <summary>Copies a Python bytes-like object out; the caller holds the GIL.</summary>
    internal static byte[] ToArray(PyObject bytesLike)
    {
        using var buffer = bytesLike.GetBuffer();
        var result = new byte[buffer.Length];
        buffer.Read(result, 0, result.Length, IntPtr.Zero);
        return result;
    }

    /// <summary>The Python traceback of <paramref name="error"/>, as the console prints it; the caller holds the GIL.</summary>
    internal static string Describe(PythonException error)
    {
        try
        {
            return error.Format().TrimEnd();
        }
        catch (PythonException)
        {
            return error.Message;
        }
    }

    private static bool Contains(PyObject list, string item)
    {
        using var value = new PyString(item);
        return list.InvokeMethod("__contains__", value).IsTrue();
    }

    private static void LoadEmbeddedModule(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name + ".py")
            ?? throw new InvalidOperationException($"Embedded module {name}.py is missing from the assembly.");
        using var reader = new StreamReader(stream);
        var code = reader.ReadToEnd();
        using var types = Py.Import("types");
        using var module = types.InvokeMethod("ModuleType", new PyString(name));
        using var builtins = Py.Import("builtins");
        using var compiled = builtins.InvokeMethod("compile", new PyString(code), new PyString($"<actorssgi>/{name}.py"), new PyString("exec"));
        using var globals = module.GetAttr("__dict__");
        builtins.InvokeMethod("exec", compiled, globals).Dispose();
        using var sys = Py.Import("sys");
        using var modules = sys.GetAttr("modules");
        modules.SetItem(name, module);
    }
}
