using ActorSsgi.Interfaces;
using Microsoft.AspNetCore.Http;

namespace ActorSsgi.AspNetCore;

/// <summary>
/// The <c>aspnetcore</c> interface as the server resolves it: the request actors host an ASP.NET Core application
/// at Kestrel's feature level. Offered only by a web host whose server is ActorSsgi (<c>UseActorSsgi</c>), since the
/// pipeline is the host's.
/// </summary>
internal sealed class AspNetCoreSsgiInterface(IHostedApplication hostPipeline, IHttpContextFactory contextFactory)
    : SsgiInterface(AspNetCoreInterface.Name, AspNetCoreInterface.Version)
{
    public override bool ServesHttp => true;

    public override bool ServesWebSockets => true;

    internal override bool ServesWebSocketsThroughHttp => true;

    internal override IHostedApplication? BindHostedHttp(SsgiInterfaceBinding binding) => binding switch
    {
        AspNetCoreBinding { Application: null } => hostPipeline,
        AspNetCoreBinding { Application: { } application } => new HostedApplication<HttpContext>(new DelegateApplication(application, contextFactory)),
        _ => throw WrongBinding(binding, "AspNetCoreBinding (AspNetCoreInterface.Pipeline or AspNetCoreInterface.Bind)"),
    };

    // Never called: BindHostedHttp always answers. Kept explicit so a wrong binding still gets the clear message.
    public override SsgiHandler<ISsgiHttpResponse> BindHttp(SsgiInterfaceBinding binding) =>
        throw WrongBinding(binding, "AspNetCoreBinding");
}
