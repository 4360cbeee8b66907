using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ActorSsgi.AspNetCore.Tests;

/// <summary>
/// The request actor owns an ASP.NET Core request's life: an exception that escapes the pipeline is the
/// supervisor's 500 (or an abort once the response started), a client abort reaches the pipeline as a message to
/// the actor, and the server keeps serving. Also: the aspnetcore interface alone, and what negotiation refuses.
/// </summary>
public sealed class PipelineSpec
{
    private static WebApplication Build(Action<WebApplication> map, ISsgiFramework? framework = null, LogRecorder? log = null)
    {
        var builder = WebApplication.CreateBuilder(WebApp.Args());
        if (framework is null)
        {
            builder.WebHost.UseActorSsgi();
        }
        else
        {
            builder.WebHost.UseActorSsgi(framework);
        }

        if (log is not null)
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddProvider(log);
        }

        var app = builder.Build();
        map(app);
        return app;
    }

    [Fact]
    public async Task An_exception_that_escapes_the_pipeline_must_be_a_500_from_the_supervisor_and_the_server_keeps_serving()
    {
        var log = new LogRecorder();
        await using var app = await WebApp.StartAsync(Build(a =>
        {
            a.MapGet("/escape", string () => throw new InvalidOperationException("escaped the pipeline"));
            a.MapGet("/ok", () => "ok");
        }, log: log));
        using var client = app.CreateClient();

        for (var i = 0; i < 5; i++)
        {
            var response = await client.GetAsync("/escape");
            Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
            Assert.Equal(0, response.Content.Headers.ContentLength);
            Assert.Equal("ok", await client.GetStringAsync("/ok"));
        }

        // One entry per crash, from the supervisor: Akka's own restart log (the same exception again) is off.
        var crashes = log.Entries.Where(e => e.Exception?.Message == "escaped the pipeline"
            || e.Message.Contains("escaped the pipeline", StringComparison.Ordinal)).ToList();
        Assert.Equal(5, crashes.Count);
        Assert.All(crashes, e => Assert.True(e.Level == LogLevel.Error && e.Message.Contains("supervisor", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task An_exception_after_the_response_started_must_abort_the_connection_and_the_server_keeps_serving()
    {
        await using var app = await WebApp.StartAsync(Build(a =>
        {
            a.MapGet("/half", async context =>
            {
                await context.Response.WriteAsync("half of it");
                await context.Response.Body.FlushAsync();
                throw new InvalidOperationException("after the body started");
            });
            a.MapGet("/ok", () => "ok");
        }));
        using var client = app.CreateClient();

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => client.GetStringAsync("/half"));

        Assert.Equal("ok", await client.GetStringAsync("/ok"));
    }

    [Fact]
    public async Task A_client_abort_must_fire_request_aborted_inside_the_request_actor()
    {
        var fired = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var app = await WebApp.StartAsync(Build(a => a.MapGet("/wait", async context =>
        {
            // The callback runs where the token is cancelled: in the actor, which has its synchronization context.
            context.RequestAborted.Register(() => fired.TrySetResult(SynchronizationContext.Current?.GetType().Name));
            started.SetResult();
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        })));

        using var socket = new TcpClient();
        await socket.ConnectAsync(IPAddress.Loopback, app.BaseAddress.Port);
        await socket.GetStream().WriteAsync(Encoding.ASCII.GetBytes("GET /wait HTTP/1.1\r\nHost: x\r\n\r\n"));
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        socket.Client.Close();

        var context = await fired.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("ActorSynchronizationContext", context);
        using var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/after")).StatusCode);
    }

    [Fact]
    public async Task Without_a_framework_websockets_must_be_served_by_the_pipeline_through_httpcontext_websockets()
    {
        await using var app = await WebApp.StartAsync(Build(a =>
        {
            a.UseWebSockets();
            a.Map("/ws", async context =>
            {
                if (!context.WebSockets.IsWebSocketRequest)
                {
                    context.Response.StatusCode = 400;
                    return;
                }

                using var ws = await context.WebSockets.AcceptWebSocketAsync();
                var buffer = new byte[1024];
                while (true)
                {
                    var result = await ws.ReceiveAsync(buffer, context.RequestAborted);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
                        return;
                    }

                    await ws.SendAsync(Encoding.UTF8.GetBytes("pipeline:" + Encoding.UTF8.GetString(buffer, 0, result.Count)), WebSocketMessageType.Text, true, CancellationToken.None);
                }
            });
        }));

        using var client = new ClientWebSocket();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await client.ConnectAsync(app.WebSocket("/ws"), timeout.Token);
        await client.SendAsync("hi"u8.ToArray(), WebSocketMessageType.Text, true, timeout.Token);
        var (_, data) = await SampleSpec.ReceiveAsync(client, timeout.Token);
        Assert.Equal("pipeline:hi", Encoding.UTF8.GetString(data));
        await client.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
        Assert.Equal("done", client.CloseStatusDescription);
    }

    [Fact]
    public async Task A_framework_may_bind_its_own_request_delegate_with_the_hosts_request_services()
    {
        var framework = new Fixed(_ => new(AspNetCoreInterface.Bind(async context =>
        {
            var scoped = context.RequestServices.GetRequiredService<IServiceScopeFactory>();
            await context.Response.WriteAsync(scoped is not null ? "own delegate" : "no services");
        }), null));

        await using var app = await WebApp.StartAsync(Build(_ => { }, framework));
        using var client = app.CreateClient();

        Assert.Equal("own delegate", await client.GetStringAsync("/anything"));
    }

    [Fact]
    public async Task The_server_must_offer_ssgi_and_aspnetcore_under_a_web_host()
    {
        IReadOnlyDictionary<string, string>? offered = null;
        var framework = new Fixed(o =>
        {
            offered = o;
            return new(AspNetCoreInterface.Pipeline, null);
        });

        await using var app = await WebApp.StartAsync(Build(_ => { }, framework));

        Assert.Equal(["ssgi", "aspnetcore"], offered!.Keys);
        Assert.Equal("1.0", offered["ssgi"]);
        Assert.Equal("10.0", offered["aspnetcore"]);
    }

    [Fact]
    public async Task A_binding_to_an_interface_that_was_not_offered_must_fail_at_start_naming_the_offered_ones()
    {
        var framework = new Fixed(_ => new(new AspNetCoreLikeBinding("wsgi"), null));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => WebApp.StartAsync(Build(_ => { }, framework)));

        Assert.Contains("'wsgi'", error.Message);
        Assert.Contains("ssgi 1.0, aspnetcore 10.0", error.Message);
    }

    [Fact]
    public async Task Websockets_through_aspnetcore_with_http_through_ssgi_must_fail_at_start()
    {
        var framework = new Fixed(_ => new(SsgiInterfaces.Bind<ISsgiHttpResponse>((_, _, _, _, _, _, _, res) => { res.Send(); return default; }), AspNetCoreInterface.Pipeline));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => WebApp.StartAsync(Build(_ => { }, framework)));

        Assert.Contains("must serve http too", error.Message);
    }

    private sealed record AspNetCoreLikeBinding(string Name) : SsgiInterfaceBinding(Name);

    private sealed class Fixed(Func<IReadOnlyDictionary<string, string>, SsgiSupported> answer) : ISsgiFramework
    {
        public SsgiSupported GetSupported(IReadOnlyDictionary<string, string> supportedInterfaces) => answer(supportedInterfaces);
    }
}
