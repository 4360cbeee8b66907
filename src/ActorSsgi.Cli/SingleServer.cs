using ActorSsgi.Hosting;
using ActorSsgi.Python;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ActorSsgi.Cli;

/// <summary>One server process: the whole command without <c>--workers</c>, or one worker of the supervisor.</summary>
internal static class SingleServer
{
    /// <summary>Set by the supervisor on its workers: the worker's number, from 1.</summary>
    public const string WorkerVariable = "ACTORSSGI_WORKER";

    /// <summary>Set by the supervisor on its workers: the URLs with every port 0 already resolved.</summary>
    public const string WorkerUrlsVariable = "ACTORSSGI_WORKER_URLS";

    /// <summary>What a ready server writes first on its line (the supervisor and the tests wait for it).</summary>
    public const string ReadyPrefix = "actorssgi: ";

    /// <summary>Loads the application, serves it until SIGTERM/SIGINT and returns the exit code.</summary>
    /// <exception cref="CliException">The application could not be loaded or the server not started.</exception>
    public static async Task<int> RunAsync(ServeSettings settings)
    {
        var worker = Environment.GetEnvironmentVariable(WorkerVariable);
        var urls = worker is null ? settings.Urls : Environment.GetEnvironmentVariable(WorkerUrlsVariable);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = [.. settings.Settings],
            // Config files are read from next to the command, not from whatever directory it is started in.
            ContentRootPath = AppContext.BaseDirectory,
        });
        var values = new Dictionary<string, string?> { [PythonOptions.SectionName + ":AppDir"] = settings.AppDir };
        if (urls is not null)
        {
            values["urls"] = urls;
        }

        if (worker is not null)
        {
            values[ActorSsgiOptions.SectionName + ":" + nameof(ActorSsgiOptions.ReusePort)] = "true";
        }

        // Before the command line, so an explicit --ActorSsgi:Python:AppDir= still wins over --app-dir's default.
        builder.Configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource { InitialData = values });
        ConfigureLogging(builder, settings.LogLevel);

        var @interface = Register(builder, settings);
        using var host = builder.Build();
        IReadOnlyList<string> bound;
        try
        {
            await host.StartAsync().ConfigureAwait(false);
            bound = await host.Services.GetRequiredService<SsgiServerAddresses>().Bound.ConfigureAwait(false);
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            // Kestrel's own message names the address ("Failed to bind to address http://...: address already in use.").
            var cause = error is AggregateException { InnerException: { } inner } ? inner : error;
            throw new CliException($"The server did not start: {cause.Message.ReplaceLineEndings(" ")}");
        }

        if (worker is not null)
        {
            StopWhenSupervisorIsGone(host.Services.GetRequiredService<IHostApplicationLifetime>());
        }

        var who = worker is null ? "" : $"worker {worker} (pid {Environment.ProcessId}) ";
        Console.Out.WriteLine($"{ReadyPrefix}{who}serving {settings.Target.Text} ({@interface}) on {string.Join(" ", bound)}");
        Console.Out.Flush();
        await host.WaitForShutdownAsync().ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    /// <summary>Registers the application and returns the interface it is served through.</summary>
    private static string Register(HostApplicationBuilder builder, ServeSettings settings)
    {
        switch (settings.Target)
        {
            case DotnetTarget dotnet:
            {
                var type = DotnetFrameworkLoader.Load(dotnet);
                // AddActorSsgi<T> lets the container create it, so a constructor taking the host's services
                // (IServiceProvider, ILogger<T>) works as well as a parameterless one.
                var register = typeof(ActorSsgiServiceCollectionExtensions).GetMethods()
                    .Single(method => method is { Name: nameof(ActorSsgiServiceCollectionExtensions.AddActorSsgi), IsGenericMethodDefinition: true })
                    .MakeGenericMethod(type);
                register.Invoke(null, [builder.Services, builder.Configuration, null]);
                return ServeInterfaces.Ssgi;
            }

            case PythonTarget python:
            {
                var options = builder.Configuration.GetSection(PythonOptions.SectionName).Get<PythonOptions>() ?? new PythonOptions();
                var @interface = settings.Interface == ServeInterfaces.Auto ? PythonTargetProbe.Detect(python, options) : settings.Interface;
                if (!ServeInterfaces.AvailableForPython(@interface))
                {
                    throw new CliException(
                        $"--interface {@interface} for Python applications is not available in this build (it serves {string.Join(", ", PythonInterfaces.All)}).",
                        ExitCodes.Usage);
                }

                builder.Services.AddActorSsgiPython(builder.Configuration, python.Text, @interface);
                return @interface;
            }

            default:
                throw new InvalidOperationException($"Unknown target {settings.Target}.");
        }
    }

    /// <summary>
    /// The supervisor holds the write end of this worker's stdin and never writes: end of input means it is gone
    /// (even killed with SIGKILL, when it could not forward a signal), and the worker must not outlive it.
    /// </summary>
    private static void StopWhenSupervisorIsGone(IHostApplicationLifetime lifetime) =>
        _ = Task.Factory.StartNew(
            () =>
            {
                using var input = Console.OpenStandardInput();
                var buffer = new byte[256];
                while (input.Read(buffer, 0, buffer.Length) > 0)
                {
                }

                lifetime.StopApplication();
            },
            TaskCreationOptions.LongRunning);

    private static void ConfigureLogging(HostApplicationBuilder builder, LogLevel level)
    {
        builder.Logging.SetMinimumLevel(level);
        // The command writes its own ready line and one-line start errors; the host's banner and its stack trace
        // of a failed start are noise unless debugging.
        builder.Services.Configure<ConsoleLifetimeOptions>(options => options.SuppressStatusMessages = true);
        if (level > LogLevel.Debug)
        {
            builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
            builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.None);
        }
    }
}
