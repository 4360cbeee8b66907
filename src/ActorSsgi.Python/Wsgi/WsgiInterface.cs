using Microsoft.Extensions.Logging;

namespace ActorSsgi.Python.Wsgi;

/// <summary>
/// PEP 3333 (<c>wsgi</c> 1.0.1) as an interface of the server: it translates each request into a call of the
/// application on a WSGI thread (see <see cref="PythonOptions.WsgiThreads"/> and docs/python.md).
/// </summary>
public sealed class WsgiInterface : Interfaces.SsgiInterface, IDisposable
{
    private readonly PythonOptions _options;
    private readonly ILogger _logger;
    private WsgiGateway? _gateway;

    /// <summary>Creates the interface.</summary>
    /// <param name="options">The interpreter's settings (the WSGI thread count).</param>
    /// <param name="logger">Where <c>wsgi.errors</c> goes.</param>
    public WsgiInterface(PythonOptions options, ILogger<WsgiInterface> logger)
        : base(PythonInterfaces.Wsgi, PythonInterfaces.WsgiVersion)
    {
        _options = options;
        _logger = logger;
    }

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
        _gateway = new WsgiGateway(python.Application, _options, _logger);
        return _gateway.Handle;
    }

    /// <summary>Stops the WSGI threads once they drained their queue.</summary>
    public void Dispose() => _gateway?.Dispose();
}
