using ActorSsgi.Python;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// Benchmark host for Python apps on ActorSsgi:
//   dotnet PythonHost.dll --target bench_flask:app --interface wsgi --urls http://127.0.0.1:PORT
//                         --ActorSsgi:Python:AppDir=DIR [--ActorSsgi:Key=value ...]
//   dotnet PythonHost.dll --list-interfaces     (the interfaces this build of ActorSsgi.Python serves, one a line)
// Arguments are read as configuration (like the other baselines' --urls) rather than parsed by a command-line
// library: the product command is src/ActorSsgi.Cli; this host exists only so the harness can measure the
// interfaces before that command lands, and adds nothing of its own between Kestrel and the Python app.
if (args.Contains("--list-interfaces"))
{
    // run.sh asks first, so a server whose interface is not in this build is skipped with a message, not failed.
    foreach (var name in PythonInterfaces.All)
    {
        Console.WriteLine(name);
    }

    return 0;
}

var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
{
    Args = args,
    ContentRootPath = AppContext.BaseDirectory,
});
// Warnings and errors only, as uvicorn runs with --log-level warning; --Logging:LogLevel:Default=... still overrides.
builder.Logging.SetMinimumLevel(LogLevel.Warning);
var target = builder.Configuration["target"];
var @interface = builder.Configuration["interface"];
if (string.IsNullOrEmpty(target) || string.IsNullOrEmpty(@interface))
{
    Console.Error.WriteLine("PythonHost: --target module:attribute and --interface NAME are required");
    return 64;
}

try
{
    builder.Services.AddActorSsgiPython(builder.Configuration, target, @interface);
}
catch (PythonLoadException e)
{
    Console.Error.WriteLine($"PythonHost: {e.Message}");
    return 1;
}

await builder.Build().RunAsync();
return 0;
