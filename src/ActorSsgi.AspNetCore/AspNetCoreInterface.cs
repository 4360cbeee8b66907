namespace ActorSsgi.AspNetCore;

/// <summary>Name, version and bindings of the <c>aspnetcore</c> interface.</summary>
public static class AspNetCoreInterface
{
    /// <summary>The interface name offered to frameworks: <c>"aspnetcore"</c>.</summary>
    public const string Name = "aspnetcore";

    /// <summary>
    /// The version offered: the ASP.NET Core major and minor version the server runs (<c>"10.0"</c>), since the
    /// interface is ASP.NET Core's own <c>HttpContext</c> model.
    /// </summary>
    public static string Version { get; } =
        typeof(Microsoft.AspNetCore.Http.HttpContext).Assembly.GetName().Version is { } v ? $"{v.Major}.{v.Minor}" : "10.0";

    /// <summary>The binding to the web host's own pipeline (its middleware and endpoints).</summary>
    public static AspNetCoreBinding Pipeline { get; } = new(Application: null);

    /// <summary>A binding to <paramref name="application"/>, run with the web host's per-request services.</summary>
    /// <param name="application">The request delegate.</param>
    /// <returns>The binding.</returns>
    public static AspNetCoreBinding Bind(Microsoft.AspNetCore.Http.RequestDelegate application)
    {
        ArgumentNullException.ThrowIfNull(application);
        return new AspNetCoreBinding(application);
    }
}
