using ActorSsgi.Hosting;
using Microsoft.Extensions.Logging;

namespace ActorSsgi.TestKit.Http;

/// <summary>Settings of an <see cref="SsgiHttpTestKit"/>.</summary>
public sealed class SsgiHttpTestKitOptions
{
    /// <summary>
    /// The server's own options, as in production: <see cref="ActorSsgiOptions.ServerHeader"/>,
    /// <see cref="ActorSsgiOptions.RequestActorPoolSize"/> and <see cref="SsgiLimitsOptions.MaxRequestBodySize"/>
    /// (enforced by the synthetic transport as Kestrel does, with 413) apply.
    /// </summary>
    public ActorSsgiOptions Server { get; set; } = new();

    /// <summary>How long the kit's waits last when a call gives no timeout. Default 10 s.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Where the server's log goes besides <see cref="SsgiHttpTestKit.Log"/>; by default the actor system's log
    /// (which an Akka.TestKit with an <c>ITestOutputHelper</c> prints).
    /// </summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>
    /// Record a <see cref="SyntheticResponse.Violations"/> entry whenever the server touches a request's transport
    /// outside the request's actor. Default <c>true</c>.
    /// </summary>
    public bool DetectCallsOutsideActor { get; set; } = true;

    /// <summary>
    /// Interfaces offered to the framework besides <c>ssgi</c>, as the packages that implement them register them in
    /// a server (<c>services.AddSsgiInterface</c>).
    /// </summary>
    public IList<Interfaces.SsgiInterface> Interfaces { get; } = [];
}
