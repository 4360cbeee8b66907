using System.Reflection;
using System.Runtime.Loader;

namespace ActorSsgi.Cli;

/// <summary>
/// Loads a .NET framework type from its assembly. The assembly gets a load context of its own, so its private
/// dependencies come from its own folder (through its .deps.json), while every assembly this command carries
/// itself (ActorSsgi, Akka, Microsoft.Extensions, the shared framework) is taken from the default context: otherwise
/// its <see cref="ISsgiFramework"/> would be another type than the server's, and no cast could ever succeed.
/// </summary>
internal static class DotnetFrameworkLoader
{
    /// <summary>The framework type named by <paramref name="target"/>, checked to be one the host can create.</summary>
    /// <exception cref="CliException">A one-line reason: no such file, not an assembly, no such type, not a framework.</exception>
    public static Type Load(DotnetTarget target)
    {
        if (!File.Exists(target.AssemblyPath))
        {
            throw new CliException($"The assembly '{target.AssemblyPath}' does not exist.");
        }

        Assembly assembly;
        try
        {
            assembly = new FrameworkLoadContext(target.AssemblyPath).LoadFromAssemblyPath(target.AssemblyPath);
        }
        catch (BadImageFormatException)
        {
            throw new CliException($"'{target.AssemblyPath}' is not a .NET assembly.");
        }

        Type? type;
        try
        {
            type = assembly.GetType(target.TypeName, throwOnError: false);
        }
        catch (Exception error) when (error is FileNotFoundException or FileLoadException or TypeLoadException)
        {
            throw new CliException($"Type '{target.TypeName}' could not be loaded from '{assembly.GetName().Name}': {OneLine(error.Message)}");
        }

        if (type is null)
        {
            throw new CliException($"Assembly '{assembly.GetName().Name}' has no type '{target.TypeName}'.");
        }

        if (!typeof(ISsgiFramework).IsAssignableFrom(type))
        {
            throw new CliException($"'{target.TypeName}' does not implement {typeof(ISsgiFramework).FullName}.");
        }

        if (!type.IsClass || type.IsAbstract || type.IsGenericTypeDefinition || type.GetConstructors().Length == 0)
        {
            throw new CliException($"'{target.TypeName}' has no public constructor to create it with.");
        }

        return type;
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ");

    private sealed class FrameworkLoadContext(string assemblyPath) : AssemblyLoadContext(Path.GetFileNameWithoutExtension(assemblyPath))
    {
        private static readonly HashSet<string> Shared = SharedAssemblies();
        private readonly AssemblyDependencyResolver _resolver = new(assemblyPath);

        protected override Assembly? Load(AssemblyName assemblyName)
        {
            if (assemblyName.Name is { } name && Shared.Contains(name))
            {
                return null;
            }

            return _resolver.ResolveAssemblyToPath(assemblyName) is { } path ? LoadFromAssemblyPath(path) : null;
        }

        protected override IntPtr LoadUnmanagedDll(string unmanagedDllName) =>
            _resolver.ResolveUnmanagedDllToPath(unmanagedDllName) is { } path ? LoadUnmanagedDllFromPath(path) : IntPtr.Zero;

        // The host's trusted platform assemblies: the shared frameworks plus everything in this command's .deps.json.
        private static HashSet<string> SharedAssemblies() =>
            ((AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string) ?? "")
                .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                .Select(Path.GetFileNameWithoutExtension)
                .OfType<string>()
                .ToHashSet(StringComparer.OrdinalIgnoreCase);
    }
}

/// <summary>A failure the command reports as one line and an exit code, without a stack trace.</summary>
/// <param name="message">The one-line reason.</param>
/// <param name="exitCode">2 for a usage error, 1 for anything that failed to load or start.</param>
internal sealed class CliException(string message, int exitCode = ExitCodes.LoadFailure) : Exception(message)
{
    /// <summary>The process's exit code.</summary>
    public int ExitCode { get; } = exitCode;
}

/// <summary>The command's exit codes.</summary>
internal static class ExitCodes
{
    /// <summary>Served and stopped on request.</summary>
    public const int Ok = 0;

    /// <summary>The application failed to load, or the server to start, or a worker died.</summary>
    public const int LoadFailure = 1;

    /// <summary>The command line is wrong.</summary>
    public const int Usage = 2;
}
