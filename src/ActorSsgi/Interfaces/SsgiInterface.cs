namespace ActorSsgi.Interfaces;

/// <summary>
/// One interface the server implements and offers to <see cref="ISsgiFramework.GetSupported"/> under
/// <see cref="Name"/> and <see cref="Version"/>. <c>ssgi</c> is built in; every other interface lives in its own
/// package, which registers a subclass with <c>services.AddSsgiInterface(...)</c>, and turns the framework's binding
/// into what the server runs. Interfaces that translate into SSGI (a Python gateway, say) return an
/// <c>ssgi</c> entry, so the request and session actors, supervision, limits and backpressure serve them unchanged.
/// </summary>
public abstract class SsgiInterface
{
    /// <summary>Creates the interface.</summary>
    /// <param name="name">The name offered to frameworks, for example <c>"wsgi"</c>.</param>
    /// <param name="version">The version of its specification that is implemented, for example <c>"1.0"</c>.</param>
    protected SsgiInterface(string name, string version)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(version);
        Name = name;
        Version = version;
    }

    /// <summary>The name offered to frameworks.</summary>
    public string Name { get; }

    /// <summary>The implemented version of the interface's specification.</summary>
    public string Version { get; }

    /// <summary>Whether this interface can serve HTTP requests.</summary>
    public abstract bool ServesHttp { get; }

    /// <summary>Whether this interface can serve WebSocket sessions.</summary>
    public abstract bool ServesWebSockets { get; }

    /// <summary>The <c>ssgi</c> entry that serves HTTP for <paramref name="binding"/>; called once at start.</summary>
    /// <param name="binding">The framework's HTTP binding, naming this interface.</param>
    /// <returns>The entry the request actors run.</returns>
    /// <exception cref="InvalidOperationException">The binding is not of this interface's binding type.</exception>
    public virtual SsgiHandler<ISsgiHttpResponse> BindHttp(SsgiInterfaceBinding binding) =>
        throw new InvalidOperationException($"Interface '{Name}' does not serve HTTP.");

    /// <summary>The <c>ssgi</c> entry that serves WebSocket upgrades for <paramref name="binding"/>; called once at start.</summary>
    /// <param name="binding">The framework's WebSocket binding, naming this interface.</param>
    /// <returns>The entry the session actors run.</returns>
    /// <exception cref="InvalidOperationException">The binding is not of this interface's binding type.</exception>
    public virtual SsgiHandler<ISsgiWebSocket> BindWebSockets(SsgiInterfaceBinding binding) =>
        throw new InvalidOperationException($"Interface '{Name}' does not serve WebSockets.");

    /// <summary>
    /// For interfaces that serve Kestrel's features directly (ASP.NET Core's pipeline) instead of translating into
    /// <c>ssgi</c>: the application the request actors host. <c>null</c> (the default) means
    /// <see cref="BindHttp"/> is used.
    /// </summary>
    internal virtual IHostedApplication? BindHostedHttp(SsgiInterfaceBinding binding) => null;

    /// <summary>
    /// Whether a WebSocket binding to this interface is served by its HTTP application (ASP.NET Core's
    /// <c>HttpContext.WebSockets</c>): upgrades then travel the HTTP path.
    /// </summary>
    internal virtual bool ServesWebSocketsThroughHttp => false;

    /// <summary>A clear error for a binding of the wrong type.</summary>
    /// <param name="binding">The binding received.</param>
    /// <param name="expected">The binding type this interface takes, as users write it.</param>
    /// <returns>The exception to throw.</returns>
    protected InvalidOperationException WrongBinding(SsgiInterfaceBinding binding, string expected) =>
        new($"Interface '{Name}' takes a {expected}, but the framework returned a {binding.GetType().Name}.");
}
