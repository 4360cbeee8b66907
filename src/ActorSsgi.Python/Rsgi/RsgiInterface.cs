using Microsoft.Extensions.Logging;

namespace ActorSsgi.Python.Rsgi;

/// <summary>Granian's RSGI (specification 1.6: HTTP and WebSocket protocols) as an interface of the server; see docs/python.md.</summary>
public sealed class RsgiInterface : Interfaces.SsgiInterface, IDisposable
{
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private RsgiGateway? _gateway;
    private PythonAppBinding? _bound;

    /// <summary>Creates the interface.</summary>
    /// <param name="logger">Where the gateway logs what the app did wrong.</param>
    public RsgiInterface(ILogger<RsgiInterface> logger)
        : base(PythonInterfaces.Rsgi, PythonInterfaces.RsgiVersion) => _logger = logger;

    /// <inheritdoc />
    public override bool ServesHttp => true;

    /// <inheritdoc />
    public override bool ServesWebSockets => true;

    /// <inheritdoc />
    public override SsgiHandler<ISsgiHttpResponse> BindHttp(SsgiInterfaceBinding binding) => Gateway(binding).HandleHttp;

    /// <inheritdoc />
    public override SsgiHandler<ISsgiWebSocket> BindWebSockets(SsgiInterfaceBinding binding) => Gateway(binding).HandleWebSocket;

    /// <summary>Stops the event loop (running the app's <c>__rsgi_del__</c>).</summary>
    public void Dispose() => _gateway?.Dispose();

    // HTTP and WebSockets of one app share one gateway, so one loop and one __rsgi_init__.
    private RsgiGateway Gateway(SsgiInterfaceBinding binding)
    {
        if (binding is not PythonAppBinding python)
        {
            throw WrongBinding(binding, nameof(PythonAppBinding));
        }

        lock (_gate)
        {
            if (_gateway is null || !ReferenceEquals(_bound?.Application, python.Application))
            {
                _gateway?.Dispose();
                _gateway = new RsgiGateway(python.Application, _logger);
                _bound = python;
            }

            return _gateway;
        }
    }
}
