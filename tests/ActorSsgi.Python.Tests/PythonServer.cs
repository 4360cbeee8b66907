using ActorSsgi.Hosting;
using ActorSsgi.Python;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ActorSsgi.Python.Tests;

/// <summary>
/// A Python sample app served in-process on a port the OS picks. CPython starts once per process, so every server in
/// this test process shares one interpreter (each loads its own module into it).
/// </summary>
public sealed class PythonServer : IAsyncDisposable
{
    private readonly IHost _host;

    private PythonServer(IHost host, Uri address)
    {
        _host = host;
        BaseAddress = address;
    }

    /// <summary>The directory the sample .py files are copied to.</summary>
    public static string SamplesDir => Path.Combine(AppContext.BaseDirectory, "samples");

    public Uri BaseAddress { get; }

    public static async Task<PythonServer> StartAsync(string target, string @interface, params string[] settings)
    {
        var args = new List<string> { "--Logging:LogLevel:Default=Warning", "--urls", "http://127.0.0.1:0", "--ActorSsgi:Python:AppDir=" + SamplesDir };
        args.AddRange(settings.Select(s => "--" + s));
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = args.ToArray(),
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Services.AddActorSsgiPython(builder.Configuration, target, @interface);
        var host = builder.Build();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await host.StartAsync(timeout.Token);
        var bound = await host.Services.GetRequiredService<SsgiServerAddresses>().Bound.WaitAsync(timeout.Token);
        return new PythonServer(host, new Uri(bound[0]));
    }

    public HttpClient CreateClient() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(10) };

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await _host.StopAsync(timeout.Token);
        }
        finally
        {
            _host.Dispose();
        }
    }
}

/// <summary>One server per sample app, started once for the classes that use it.</summary>
public abstract class SharedPythonServer(string target, string @interface) : IAsyncLifetime
{
    private PythonServer? _server;

    public PythonServer Server => _server ?? throw new InvalidOperationException("The server has not started.");

    public async Task InitializeAsync() => _server = await PythonServer.StartAsync(target, @interface);

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

public sealed class FlaskServer() : SharedPythonServer("flask_app:app", PythonInterfaces.Wsgi);

public sealed class RawWsgiServer() : SharedPythonServer("raw_wsgi:app", PythonInterfaces.Wsgi);

public sealed class StarletteServer() : SharedPythonServer("starlette_app:app", PythonInterfaces.Asgi);

public sealed class FastApiServer() : SharedPythonServer("fastapi_app:app", PythonInterfaces.Asgi);

public sealed class RsgiServer() : SharedPythonServer("rsgi_app:app", PythonInterfaces.Rsgi);

/// <summary>Every Python test runs in this one collection: one interpreter, no parallel servers fighting over the GIL.</summary>
[CollectionDefinition(Name)]
public sealed class PythonCollection : ICollectionFixture<FlaskServer>, ICollectionFixture<RawWsgiServer>, ICollectionFixture<StarletteServer>, ICollectionFixture<FastApiServer>, ICollectionFixture<RsgiServer>
{
    public const string Name = "python";
}
