namespace ActorSsgi.Interfaces;

/// <summary>The built-in <c>ssgi</c> 1.0 interface: the framework's entry runs as it is.</summary>
internal sealed class SsgiNativeInterface : SsgiInterface
{
    public static readonly SsgiNativeInterface Instance = new();

    private SsgiNativeInterface()
        : base(SsgiInterfaces.Ssgi, SsgiInterfaces.SsgiVersion)
    {
    }

    public override bool ServesHttp => true;

    public override bool ServesWebSockets => true;

    // SsgiHandler is contravariant, so one entry written for ISsgiConnection serves either protocol.
    public override SsgiHandler<ISsgiHttpResponse> BindHttp(SsgiInterfaceBinding binding) => binding switch
    {
        SsgiBinding<ISsgiHttpResponse> http => http.Handler,
        SsgiBinding<ISsgiConnection> both => both.Handler,
        _ => throw WrongBinding(binding, "SsgiBinding<ISsgiHttpResponse> (SsgiInterfaces.Bind)"),
    };

    public override SsgiHandler<ISsgiWebSocket> BindWebSockets(SsgiInterfaceBinding binding) => binding switch
    {
        SsgiBinding<ISsgiWebSocket> ws => ws.Handler,
        SsgiBinding<ISsgiConnection> both => both.Handler,
        _ => throw WrongBinding(binding, "SsgiBinding<ISsgiWebSocket> (SsgiInterfaces.Bind)"),
    };
}
