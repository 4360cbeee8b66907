using Akka.Actor;
using ActorSsgi.TestKit.Http;
using ActorSsgi.Tests.Support;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;
using static ActorSsgi.Tests.Support.Handlers;

namespace ActorSsgi.Tests.Http;

/// <summary>SSGIFramework.get_supported: what the server offers, and what it does with the framework's answer.</summary>
public sealed class NegotiationSpec(ITestOutputHelper output) : HttpSpec(output)
{
    [Fact]
    public async Task A_server_must_offer_exactly_ssgi_1_0()
    {
        var framework = new HttpFramework(Sync(res => res.Send()));

        await KitAsync(framework);

        Assert.Equal(new Dictionary<string, string> { ["ssgi"] = "1.0" }, framework.Offered!.ToDictionary());
    }

    [Fact]
    public async Task A_server_must_answer_404_without_a_crash_when_the_framework_serves_no_http()
    {
        var kit = await KitAsync(new FixedFramework(new SsgiSupported(null, null)));

        for (var i = 0; i < 3; i++)
        {
            var response = await kit.GetAsync("/anything");
            Assert.Equal(404, response.StatusCode);
            Assert.Equal(0, response.ContentLength);
            Assert.Empty(response.Body);
            AssertClean(response);
        }

        var probe = kit.Send(SyntheticRequest.Get("/again"));
        await probe.WaitAsync();
        await MailboxBarrierAsync(probe.Actor!);
        Assert.DoesNotContain(kit.Log, e => e.Level >= LogLevel.Error);
        Assert.Equal(1, kit.SpawnedActors);
    }

    [Fact]
    public async Task A_server_must_refuse_an_http_binding_to_an_interface_it_did_not_offer()
    {
        var framework = new FixedFramework(new SsgiSupported(
            new SsgiBinding<ISsgiHttpResponse>("asgi", Sync(res => res.Send())),
            null));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => KitAsync(framework));

        Assert.Contains("'asgi'", error.Message);
        Assert.Contains("ssgi 1.0", error.Message);
    }

    [Fact]
    public async Task A_server_must_refuse_a_websocket_binding_to_an_interface_it_did_not_offer()
    {
        var framework = new FixedFramework(new SsgiSupported(
            SsgiInterfaces.Bind(Sync(res => res.Send())),
            new SsgiBinding<ISsgiWebSocket>("rsgi", (_, _, _, _, _, _, _, ws) => ws.Accept())));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => KitAsync(framework));

        Assert.Contains("'rsgi'", error.Message);
    }

    [Fact]
    public async Task A_server_must_refuse_a_framework_that_answers_null()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(() => KitAsync(new FixedFramework(null)));
    }

    [Fact]
    public async Task A_server_must_serve_the_demo_framework_through_its_negotiated_binding()
    {
        var kit = await KitAsync(new ActorSsgi.Demo.DemoFramework());

        var response = await kit.GetAsync("/plaintext");

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("Hello, World!", response.BodyText);
        Assert.Equal("text/plain", response.Header("content-type"));
        AssertClean(response);
    }
}
