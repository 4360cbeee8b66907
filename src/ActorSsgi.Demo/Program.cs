using ActorSsgi.Demo;
using ActorSsgi.Hosting;
using Microsoft.Extensions.Hosting;

// The demo's settings (config/appsettings.json, copied next to the binary) load before environment variables and
// the command line, so `--urls http://127.0.0.1:PORT` or `--ActorSsgi:Limits:MaxRequestBodySize=...` override them.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
{
    Args = args,
    ContentRootPath = AppContext.BaseDirectory,
});
builder.Services.AddActorSsgi<DemoFramework>(builder.Configuration);
await builder.Build().RunAsync();
