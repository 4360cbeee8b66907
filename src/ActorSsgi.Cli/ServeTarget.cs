namespace ActorSsgi.Cli;

/// <summary>What <c>TARGET</c> names: a Python <c>module:attribute</c> or a .NET <c>App.dll:Namespace.Type</c>.</summary>
internal abstract record ServeTarget(string Text)
{
    /// <summary>Reads <paramref name="text"/>; <c>null</c> with <paramref name="error"/> when it is neither form.</summary>
    public static ServeTarget? Parse(string text, out string? error)
    {
        error = null;
        // The last colon splits: a Windows path (C:\app\App.dll:T) has one of its own before it.
        var colon = text.LastIndexOf(':');
        var left = colon > 0 ? text[..colon] : "";
        var right = colon > 0 ? text[(colon + 1)..] : "";
        if (left.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) && right.Length > 0)
        {
            return new DotnetTarget(text, Path.GetFullPath(left), right);
        }

        if (left.Length > 0 && right.Length > 0 && left.IndexOf(':') < 0 && IsDotted(left) && IsDotted(right))
        {
            return new PythonTarget(text, left, right);
        }

        error = $"TARGET '{text}' is neither module:attribute (Python) nor path/App.dll:Namespace.Type (.NET).";
        return null;
    }

    private static bool IsDotted(string name) =>
        name.Split('.').All(part => part.Length > 0 && !char.IsDigit(part[0]) && part.All(c => char.IsLetterOrDigit(c) || c == '_'));
}

/// <summary>A Python application: <c>module:attribute</c>, attribute possibly dotted.</summary>
internal sealed record PythonTarget(string Text, string Module, string Attribute) : ServeTarget(Text);

/// <summary>A .NET <see cref="ISsgiFramework"/>: the assembly's full path and the type's full name.</summary>
internal sealed record DotnetTarget(string Text, string AssemblyPath, string TypeName) : ServeTarget(Text);
