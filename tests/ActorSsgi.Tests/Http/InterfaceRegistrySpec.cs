using ActorSsgi.Interfaces;
using ActorSsgi.TestKit.Http;
using ActorSsgi.Tests.Support;
using Xunit.Abstractions;
using static ActorSsgi.Tests.Support.Handlers;

namespace ActorSsgi.Tests.Http;

/// <summary>
/// Interfaces beyond ssgi: what a package registers is offered after ssgi, a binding to it is resolved once at start
/// into an ssgi entry the request actors run, and what cannot be served fails at start with a clear message.
/// </summary>
public sealed class InterfaceRegistrySpec(ITestOutputHelper output) : HttpSpec(output)
{
    /// <summary>A translating interface: its binding carries a greeting; it serves HTTP only.</summary>
    private sealed class GreetingInterface() : SsgiInterface("greeting", "0.1")
    {
        public int Binds { get; private set; }

        public override bool ServesHttp => true;

        public override bool ServesWebSockets => false;

        public override SsgiHandler<ISsgiHttpResponse> BindHttp(SsgiInterfaceBinding binding)
        {
            Binds++;
            var text = binding is GreetingBinding greeting ? greeting.Text : throw WrongBinding(binding, "GreetingBinding");
            return (_, _, _, _, path, _, _, res) =>
            {
                res.SendHeaders(("content-type", "text/plain"));
                res.Send($"{text} {path}");
                return default;
            };
        }
    }

    private sealed record GreetingBinding(string Text) : SsgiInterfaceBinding("greeting");

    private sealed record OtherBinding() : SsgiInterfaceBinding("greeting");

    private static SsgiHttpTestKitOptions With(params SsgiInterface[] interfaces)
    {
        var options = new SsgiHttpTestKitOptions();
        foreach (var i in interfaces)
        {
            options.Interfaces.Add(i);
        }

        return options;
    }

    [Fact]
    public async Task A_server_must_offer_a_registered_interface_after_ssgi_and_serve_through_it()
    {
        var greeting = new GreetingInterface();
        IReadOnlyDictionary<string, string>? offered = null;
        var framework = new Answering(o =>
        {
            offered = o;
            return new SsgiSupported(new GreetingBinding("hello from"), null);
        });

        var kit = await KitAsync(framework, With(greeting));

        Assert.Equal(["ssgi", "greeting"], offered!.Keys);
        Assert.Equal("0.1", offered["greeting"]);
        Assert.Equal("greeting", kit.Gateway.HttpInterface);
        for (var i = 0; i < 3; i++)
        {
            var response = await kit.GetAsync($"/n{i}");
            Assert.Equal(200, response.StatusCode);
            Assert.Equal($"hello from /n{i}", response.BodyText);
            AssertClean(response);
        }

        Assert.Equal(1, greeting.Binds);
    }

    [Fact]
    public async Task A_binding_of_the_wrong_type_must_fail_at_start()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            KitAsync(new FixedFramework(new SsgiSupported(new OtherBinding(), null)), With(new GreetingInterface())));

        Assert.Contains("'greeting' takes a GreetingBinding", error.Message);
    }

    [Fact]
    public async Task A_binding_for_a_protocol_the_interface_does_not_serve_must_fail_at_start()
    {
        var framework = new FixedFramework(new SsgiSupported(Bind(Sync(res => res.Send())), new GreetingBinding("x")));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => KitAsync(framework, With(new GreetingInterface())));

        Assert.Contains("'greeting' does not serve websockets", error.Message);
    }

    [Fact]
    public async Task An_ssgi_binding_must_be_of_an_ssgi_binding_type()
    {
        var framework = new FixedFramework(new SsgiSupported(new NamedSsgi(), null));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => KitAsync(framework));

        Assert.Contains("Interface 'ssgi' takes a SsgiBinding<ISsgiHttpResponse>", error.Message);
    }

    [Fact]
    public async Task One_entry_for_both_protocols_must_bind_through_ssgi_connection()
    {
        SsgiHandler<ISsgiConnection> both = (_, _, _, _, _, _, _, res) =>
        {
            if (res is ISsgiHttpResponse http)
            {
                http.Send("both");
            }

            return default;
        };
        var binding = SsgiInterfaces.Bind(both);

        var kit = await KitAsync(new FixedFramework(new SsgiSupported(binding, binding)));

        Assert.Equal("both", (await kit.GetAsync("/")).BodyText);
        Assert.NotNull(kit.Gateway.WebSockets);
    }

    [Fact]
    public async Task Registering_one_interface_name_twice_must_fail_at_start()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            KitAsync(new FixedFramework(new SsgiSupported(null, null)), With(new GreetingInterface(), new GreetingInterface())));

        Assert.Contains("'greeting' is registered twice", error.Message);
    }

    private static SsgiBinding<ISsgiHttpResponse> Bind(SsgiHandler<ISsgiHttpResponse> handler) => SsgiInterfaces.Bind(handler);

    private sealed record NamedSsgi() : SsgiInterfaceBinding("ssgi");

    private sealed class Answering(Func<IReadOnlyDictionary<string, string>, SsgiSupported> answer) : ISsgiFramework
    {
        public SsgiSupported GetSupported(IReadOnlyDictionary<string, string> supportedInterfaces) => answer(supportedInterfaces);
    }
}
