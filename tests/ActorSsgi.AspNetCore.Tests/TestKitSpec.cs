using ActorSsgi.TestKit.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ActorSsgi.AspNetCore.Tests;

/// <summary>An aspnetcore binding driven in an Akka.TestKit spec without sockets, as easily as an ssgi one.</summary>
public sealed class TestKitSpec : Akka.TestKit.Xunit2.TestKit
{
    [Fact]
    public async Task A_kit_must_serve_a_request_delegate_through_the_request_actors()
    {
        using var kit = await SsgiHttpTestKit.CreateAsync(Sys, async context =>
        {
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync($"hello {context.Request.Query["name"]}");
        });

        var response = await kit.GetAsync("/greet?name=ada");

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("hello ada", response.BodyText);
        Assert.Equal("text/plain", response.Header("content-type"));
        Assert.Equal("aspnetcore", kit.Gateway.HttpInterface);
    }

    [Fact]
    public async Task A_kit_must_answer_500_from_the_supervisor_when_the_delegate_throws()
    {
        using var kit = await SsgiHttpTestKit.CreateAsync(Sys, _ => throw new InvalidOperationException("thrown in the spec"));

        var response = await kit.GetAsync("/");

        Assert.Equal(500, response.StatusCode);
        Assert.Contains(kit.Log, e => e.Level == LogLevel.Error && e.Exception?.Message == "thrown in the spec");
        Assert.Equal(500, (await kit.GetAsync("/again")).StatusCode);
    }

    [Fact]
    public async Task A_kit_must_give_each_request_a_scope_of_the_given_services()
    {
        var services = new ServiceCollection().AddLogging().AddOptions().AddScoped<Samples.AspNetCore.RequestScope>().BuildServiceProvider();
        using var kit = await SsgiHttpTestKit.CreateAsync(Sys, context =>
            context.Response.WriteAsync(context.RequestServices.GetRequiredService<Samples.AspNetCore.RequestScope>().Id.ToString()), services);

        var first = (await kit.GetAsync("/")).BodyText;
        var second = (await kit.GetAsync("/")).BodyText;

        Assert.True(Guid.TryParse(first, out _), first);
        Assert.NotEqual(first, second);
    }
}
