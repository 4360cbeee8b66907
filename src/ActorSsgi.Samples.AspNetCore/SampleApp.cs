using ActorSsgi.AspNetCore;
using Akka.Actor;
using Akka.Streams;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace ActorSsgi.Samples.AspNetCore;

/// <summary>
/// An ordinary ASP.NET Core minimal-API application served by ActorSsgi: HTTP through the <c>aspnetcore</c>
/// interface (middleware, routing, model binding, a controller, problem details, the exception handler), and
/// WebSockets through <c>ssgi</c> (actor sessions) on the same port.
/// </summary>
public static class SampleApp
{
    /// <summary>Builds the application; <c>--urls</c> and <c>ActorSsgi:*</c> settings come from <paramref name="args"/>.</summary>
    /// <param name="args">Command-line arguments.</param>
    /// <returns>The application, not yet started.</returns>
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);

        // The only ActorSsgi line: this host's server is ActorSsgi, and SampleFramework picks the interfaces
        // (HTTP: this pipeline; WebSockets: SSGI). Without a framework, `UseActorSsgi()` serves both through the pipeline.
        builder.WebHost.UseActorSsgi<SampleFramework>();

        builder.Services.AddProblemDetails();
        builder.Services.AddHttpContextAccessor();
        // The application part names this assembly: tests build the same app from another entry assembly.
        builder.Services.AddControllers().AddApplicationPart(typeof(SampleApp).Assembly);
        builder.Services.AddSingleton<TodoStore>();
        builder.Services.AddScoped<RequestScope>();
        // One materializer for the app's streams (making one starts an actor: never per request).
        builder.Services.AddSingleton<IMaterializer>(services => services.GetRequiredService<ActorSystem>().Materializer());
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, SampleJson.Default));

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        // On every response, error pages included: added as the response starts, after any handler cleared headers.
        app.Use((context, next) =>
        {
            context.Response.OnStarting(static state =>
            {
                ((HttpResponse)state).Headers["x-pipeline"] = "aspnetcore";
                return Task.CompletedTask;
            }, context.Response);
            return next(context);
        });

        app.MapGet("/hello", () => Results.Text("Hello from ASP.NET Core", "text/plain"));
        app.MapGet("/json", () => Results.Json(new Greeting("Hello, World!"), SampleJson.Default.Greeting));
        TodoRoutes.Map(app);
        app.MapGet("/boom", string () => throw new InvalidOperationException("boom, from inside an endpoint"));
        app.MapGet("/scope", (RequestScope first, IServiceProvider services) =>
            Results.Json(new ScopeReport(first.Id, services.GetRequiredService<RequestScope>().Id), SampleJson.Default.ScopeReport));
        app.MapGet("/streams/numbers", NumberStream.Handle);
        app.MapControllers();
        return app;
    }
}
