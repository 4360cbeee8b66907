// Minimal API baseline: what the ASP.NET Core templates (webapiaot) give you, minus logging.
// CreateSlimBuilder already reads --urls from the command line.
using System.Runtime;
using System.Text.Json.Serialization;

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();

// `--server actorssgi`: the same application, ActorSsgi as its server (the aspnetcore interface, every request
// owned by a request actor). Nothing else differs, so the pair measures what the server costs an ASP.NET Core app.
var onActorSsgi = builder.Configuration["server"] == "actorssgi";
if (onActorSsgi)
{
    ActorSsgi.AspNetCore.ActorSsgiWebHostBuilderExtensions.UseActorSsgi(builder.WebHost);
}
builder.Services.ConfigureHttpJsonOptions(options =>
    options.SerializerOptions.TypeInfoResolverChain.Insert(0, MinimalJsonContext.Default));

var app = builder.Build();
// `--static-root DIR`: the static files middleware on DIR under /static/ (the benchmark's static scenario).
if (builder.Configuration["static-root"] is { Length: > 0 } staticRoot)
{
    app.UseStaticFiles(new StaticFileOptions
    {
        FileProvider = new Microsoft.Extensions.FileProviders.PhysicalFileProvider(Path.GetFullPath(staticRoot)),
        RequestPath = "/static",
    });
}

app.MapGet("/plaintext", () => Results.Text("Hello, World!"));
app.MapGet("/json", () => new JsonMessage("Hello, World!"));

app.Lifetime.ApplicationStarted.Register(() =>
    Console.WriteLine($"MinimalApi listening (server={(onActorSsgi ? "actorssgi" : "kestrel")}, serverGC={GCSettings.IsServerGC}, latency={GCSettings.LatencyMode})"));
app.Run();

internal sealed record JsonMessage(string Message);

[JsonSerializable(typeof(JsonMessage))]
internal sealed partial class MinimalJsonContext : JsonSerializerContext;
