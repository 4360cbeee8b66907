using Microsoft.Extensions.Logging;

namespace ActorSsgi.Python.Asgi;

/// <summary>ASGI 3.0 (HTTP and WebSocket specs 2.3, lifespan) as an interface of the server; see docs/python.md.</summary>
public sealed class AsgiInterface : Interfaces.SsgiInterface, IDisposable
{
    private readonly ILogger _logger;
    private readonly PythonOptions _options;
    private AsgiGateway? _gateway;
    private object? _boundApplication;

    /// <summary>Creates the interface with default <see cref="PythonOptions"/>.</summary>
    /// <param name="logger">Where lifespan outcomes and WebSocket failures are logged.</param>
    public AsgiInterface(ILogger<AsgiInterface> logger)
        : this(new PythonOptions(), logger)
    {
    }

    /// <summary>Creates the interface.</summary>
    /// <param name="options">The settings (<see cref="PythonOptions.AsgiWebSocketQueue"/>).</param>
    /// <param name="logger">Where lifespan outcomes and WebSocket failures are logged.</param>
    public AsgiInterface(PythonOptions options, ILogger<AsgiInterface> logger)
        : base(PythonInterfaces.Asgi, PythonInterfaces.AsgiVersion)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.AsgiWebSocketQueue < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.AsgiWebSocketQueue, "ActorSsgi:Python:AsgiWebSocketQueue must be at least 1.");
        }

        _options = options;
        _logger = logger;
    }

    /// <inheritdoc />
    public override bool ServesHttp => true;

    /// <inheritdoc />
    public override bool ServesWebSockets => true;

    /// <inheritdoc />
    public override SsgiHandler<ISsgiHttpResponse> BindHttp(SsgiInterfaceBinding binding) => Gateway(binding).Handle;

    /// <inheritdoc />
    public override SsgiHandler<ISsgiWebSocket> BindWebSockets(SsgiInterfaceBinding binding) => Gateway(binding).HandleWebSocket;

    // HTTP and WebSockets of one app share one gateway: one event loop, one lifespan, one lifespan state.
    private AsgiGateway Gateway(SsgiInterfaceBinding binding)
    {
        if (binding is not PythonAppBinding python)
        {
            throw WrongBinding(binding, nameof(PythonAppBinding));
        }

        if (_gateway is { } current && ReferenceEquals(_boundApplication, python.Application))
        {
            return current;
        }

        _gateway?.Dispose();
        _gateway = new AsgiGateway(python.Application, _logger, _options.AsgiWebSocketQueue);
        _boundApplication = python.Application;
        _gateway.StartLifespan();
        return _gateway;
    }

    /// <summary>Runs the app's lifespan shutdown and stops the event loop.</summary>
    public void Dispose() => _gateway?.Dispose();
}
