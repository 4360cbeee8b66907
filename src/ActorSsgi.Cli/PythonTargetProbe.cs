using ActorSsgi.Python;
using Python.Runtime;

namespace ActorSsgi.Cli;

/// <summary>
/// Finds which interface a Python target speaks when <c>--interface</c> is <c>auto</c>. Only an SSGI framework says
/// so itself (it has <c>get_supported</c>); a WSGI callable and an ASGI callable look alike from outside, so those
/// must be named.
/// </summary>
internal static class PythonTargetProbe
{
    /// <summary>Imports the module, looks up the attribute and tells its interface.</summary>
    /// <exception cref="PythonLoadException">The module fails to import or lacks the attribute (same wording as the loader's).</exception>
    /// <exception cref="CliException">The object is no SSGI framework, so its interface must be named.</exception>
    public static string Detect(PythonTarget target, PythonOptions options)
    {
        PythonRuntime.Initialize(options);
        using (Py.GIL())
        {
            PyObject current;
            try
            {
                current = Py.Import(target.Module);
            }
            catch (PythonException error)
            {
                throw new PythonLoadException($"Could not import module '{target.Module}': {error.Type.Name}: {error.Message}".ReplaceLineEndings(" "), error);
            }

            foreach (var name in target.Attribute.Split('.'))
            {
                if (!current.HasAttr(name))
                {
                    throw new PythonLoadException($"Module '{target.Module}' has no attribute '{target.Attribute}'.");
                }

                current = current.GetAttr(name);
            }

            if (current.HasAttr("get_supported"))
            {
                return ServeInterfaces.Ssgi;
            }
        }

        var named = string.Join("|", ServeInterfaces.Table.Select(row => row.Name).Where(ServeInterfaces.AvailableForPython));
        throw new CliException(
            $"'{target.Text}' has no get_supported, so it is no SSGI framework; name its interface with --interface {named}.",
            ExitCodes.Usage);
    }
}
