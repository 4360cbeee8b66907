using ActorSsgi.Cluster.Hosting;
using ActorSsgi.Demo;
using ActorSsgi.Demo.Chat;
using ActorSsgi.Demo.Telemetry;
using ActorSsgi.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

// The demo's settings (config/appsettings.json, copied next to the binary) load before environment variables and
// the command line, so `--urls http://127.0.0.1:PORT` or `--ActorSsgi:Limits:MaxRequestBodySize=...` override them.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
{
    Args = args,
    ContentRootPath = AppContext.BaseDirectory,
});

// `--settings FILE.json` layers one more JSON file (such as config/cluster.example.json) over appsettings.json;
// environment variables and the command line are added again after it so that they still win.
if (builder.Configuration["settings"] is { Length: > 0 } settings)
{
    builder.Configuration.AddJsonFile(Path.GetFullPath(settings), optional: false, reloadOnChange: false);
    builder.Configuration.AddEnvironmentVariables();
    builder.Configuration.AddCommandLine(args);
}

// Clustering is off unless ActorSsgi:Cluster:Enabled=true; then the same rooms, topics and keys span the nodes.
builder.Services.AddActorSsgiCluster(builder.Configuration);
// Metrics export (Prometheus scrape port, OTLP) is off unless ActorSsgi:Telemetry configures it.
builder.Services.AddDemoTelemetry(builder.Configuration);
builder.Services.AddActorSsgi<DemoFramework>(builder.Configuration, (akka, services) => akka
    .WithActorSsgiCluster(services)
    .WithSsgiEntities<ChatRooms>(services, ChatRooms.TypeName, ChatRoomEntity.Props));
await builder.Build().RunAsync();
