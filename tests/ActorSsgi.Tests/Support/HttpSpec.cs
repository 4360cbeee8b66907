using ActorSsgi.Dispatch;
using ActorSsgi.TestKit;
using Akka.Actor;
using ActorSsgi.TestKit.Http;
using Xunit.Abstractions;

namespace ActorSsgi.Tests.Support;

/// <summary>Base of the HTTP specs: an Akka.TestKit whose log goes to the test output, and a kit per test.</summary>
public abstract class HttpSpec(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(Config, output)
{
    private const string Config = """
        akka.loglevel = INFO
        akka.actor.debug.unhandled = off
        """;

    protected static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    protected Task<SsgiHttpTestKit> KitAsync(SsgiHandler<ISsgiHttpResponse> handler, SsgiHttpTestKitOptions? options = null) =>
        this.CreateSsgiHttpTestKitAsync(handler, options);

    protected Task<SsgiHttpTestKit> KitAsync(ISsgiFramework framework, SsgiHttpTestKitOptions? options = null) =>
        this.CreateSsgiHttpTestKitAsync(framework, options);

    /// <summary>
    /// Waits until <paramref name="actor"/> has processed every message queued to it before this call: a message
    /// that answers the test, put behind them in its mailbox.
    /// </summary>
    protected async Task MailboxBarrierAsync(IActorRef actor)
    {
        var token = Guid.NewGuid();
        var self = TestActor;
        actor.Tell(new RunInActor(_ => self.Tell(token), null), ActorRefs.NoSender);
        await ExpectMsgAsync(token);
    }

    /// <summary>Asserts what every well-behaved exchange should show: no transport misuse.</summary>
    protected static void AssertClean(SyntheticResponse response) => Assert.True(response.Violations.Count == 0, response.ToString());
}
