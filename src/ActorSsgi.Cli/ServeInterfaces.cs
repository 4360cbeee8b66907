namespace ActorSsgi.Cli;

/// <summary>One value of <c>--interface</c>.</summary>
/// <param name="Name">The name, as the SSGI negotiation knows it.</param>
/// <param name="Description">What it is, for <c>--help</c>.</param>
/// <param name="ForDotnet">Whether a .NET target may be served through it (only SSGI itself).</param>
internal sealed record ServeInterface(string Name, string Description, bool ForDotnet = false);

/// <summary>
/// Every interface the command can name. Whether a Python target can really be served through one is asked of
/// <see cref="Python.PythonInterfaces.All"/> at run time, so an interface the Python package gains is usable here
/// with one row in <see cref="Table"/> (or none, if the row is already there).
/// </summary>
internal static class ServeInterfaces
{
    /// <summary><c>--interface</c>'s default: ssgi for a .NET target, the object's own kind for a Python one.</summary>
    public const string Auto = "auto";

    /// <summary>The SSGI contract itself.</summary>
    public const string Ssgi = "ssgi";

    /// <summary>The table.</summary>
    public static IReadOnlyList<ServeInterface> Table { get; } =
    [
        new(Ssgi, "the SSGI contract: a .NET ISsgiFramework, or a Python object with get_supported", ForDotnet: true),
        new("wsgi", "PEP 3333 (Flask, Django, any WSGI callable)"),
        new("asgi", "ASGI 3 (FastAPI, Starlette, any ASGI callable)"),
        new("rsgi", "Granian's RSGI"),
    ];

    /// <summary>Every value <c>--interface</c> accepts.</summary>
    public static string[] Names { get; } = [Auto, .. Table.Select(row => row.Name)];

    /// <summary>Whether this build's Python package serves <paramref name="name"/>.</summary>
    public static bool AvailableForPython(string name) => Python.PythonInterfaces.All.Contains(name);
}
