// Minimal API baseline: what the ASP.NET Core templates (webapiaot) give you, minus logging.
// CreateSlimBuilder already reads --urls from the command line.
using System.Runtime;
using System.Text.Json.Serialization;

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.Services.ConfigureHttpJsonOptions(options =>
    options.SerializerOptions.TypeInfoResolverChain.Insert(0, MinimalJsonContext.Default));

var app = builder.Build();
app.MapGet("/plaintext", () => Results.Text("Hello, World!"));
app.MapGet("/json", () => new JsonMessage("Hello, World!"));

app.Lifetime.ApplicationStarted.Register(() =>
    Console.WriteLine($"MinimalApi listening (serverGC={GCSettings.IsServerGC}, latency={GCSettings.LatencyMode})"));
app.Run();

internal sealed record JsonMessage(string Message);

[JsonSerializable(typeof(JsonMessage))]
internal sealed partial class MinimalJsonContext : JsonSerializerContext;
