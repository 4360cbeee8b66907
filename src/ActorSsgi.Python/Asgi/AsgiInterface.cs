using Microsoft.Extensions.Logging;

namespace ActorSsgi.Python.Asgi;

/// <summary>ASGI 3.0 (HTTP spec 2.3, lifespan) as an interface of the server; see docs/python.md.</summary>
public sealed class AsgiInterface : Interfaces.SsgiInterface, IDisposable
{
    private readonly ILogger _logger;
    private AsgiGateway? _gateway;

    /// <summary>Creates the interface.</summary>
    /// <param name="logger">Where lifespan outcomes are logged.</param>
    public AsgiInterface(ILogger<AsgiInterface> logger)
        : base(PythonInterfaces.Asgi, PythonInterfaces.AsgiVersion) => _logger = logger;

    /// <inheritdoc />
    public override bool ServesHttp => true;

    /// <inheritdoc />
    public override bool ServesWebSockets => false;

    /// <inheritdoc />
    public override SsgiHandler<ISsgiHttpResponse> BindHttp(SsgiInterfaceBinding binding)
    {
        if (binding is not PythonAppBinding python)
        {
            throw WrongBinding(binding, nameof(PythonAppBinding));
        }

        _gateway?.Dispose();
        _gateway = new AsgiGateway(python.Application, _logger);
        _gateway.StartLifespan();
        return _gateway.Handle;
    }

    /// <summary>Runs the app's lifespan shutdown and stops the event loop.</summary>
    public void Dispose() => _gateway?.Dispose();
}
