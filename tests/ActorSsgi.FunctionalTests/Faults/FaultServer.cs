using System.Collections.Concurrent;
using System.Net;
using ActorSsgi.Demo;
using ActorSsgi.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ActorSsgi.FunctionalTests.Faults;

/// <summary>One log entry as the server wrote it.</summary>
public sealed record FaultLogEntry(LogLevel Level, string Category, string Message, Exception? Exception);

/// <summary>
/// The demo hosted in-process (as <see cref="Fixtures.DemoServer"/> does) for the fault suite: it keeps every log
/// entry at Warning and above, lets a test register services (a <see cref="TimeProvider"/>), and reads the server's
/// own counts of request actors in use and open WebSocket sessions.
/// </summary>
public sealed class FaultServer : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly ConcurrentQueue<FaultLogEntry> _log;

    private FaultServer(IHost host, Uri address, ConcurrentQueue<FaultLogEntry> log)
    {
        _host = host;
        BaseAddress = address;
        _log = log;
    }

    /// <summary>The bound address, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The bound address as an endpoint, for raw sockets.</summary>
    public IPEndPoint EndPoint => new(IPAddress.Parse(BaseAddress.Host), BaseAddress.Port);

    /// <summary>Warnings and above, in the order they were written.</summary>
    public IReadOnlyList<FaultLogEntry> Log => _log.ToArray();

    /// <summary>Request actors rented and not yet back in the pool (spawned minus idle).</summary>
    public long RequestActorsInUse => Server.Pool.Spawned - Server.Pool.Idle;

    /// <summary>Open WebSocket sessions (accepted or pending).</summary>
    public int Sessions => Server.WebSockets!.Count;

    private Server.SsgiServer Server =>
        _host.Services.GetServices<IHostedService>().OfType<ActorSsgiHostedService>().Single().Server
        ?? throw new InvalidOperationException("The server is not running.");

    /// <summary>Starts the demo on port 0 with <c>Key=Value</c> settings and extra services.</summary>
    public static async Task<FaultServer> StartAsync(Action<IServiceCollection>? services, params string[] settings)
    {
        var args = new List<string> { "--Logging:LogLevel:Default=Warning", "--urls", "http://127.0.0.1:0" };
        args.AddRange(settings.Select(s => "--" + s));
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = args.ToArray(),
            ContentRootPath = AppContext.BaseDirectory,
        });
        var log = new ConcurrentQueue<FaultLogEntry>();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(new Sink(log));
        services?.Invoke(builder.Services);
        builder.Services.AddActorSsgi<DemoFramework>(builder.Configuration);
        var host = builder.Build();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await host.StartAsync(timeout.Token);
        var bound = await host.Services.GetRequiredService<SsgiServerAddresses>().Bound.WaitAsync(timeout.Token);
        return new FaultServer(host, new Uri(bound.First()), log);
    }

    /// <summary>An HTTP/1.1 client for <see cref="BaseAddress"/>.</summary>
    public HttpClient CreateClient() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>The ws:// URI of <paramref name="pathAndQuery"/>.</summary>
    public Uri Ws(string pathAndQuery) => new($"ws://{BaseAddress.Authority}{pathAndQuery}");

    /// <summary>Stops the host (drain and actor system), as a real shutdown does.</summary>
    public async Task StopAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _host.StopAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        finally
        {
            _host.Dispose();
        }
    }

    private sealed class Sink(ConcurrentQueue<FaultLogEntry> log) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(log, categoryName);

        public void Dispose()
        {
        }
    }

    private sealed class Logger(ConcurrentQueue<FaultLogEntry> log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                log.Enqueue(new FaultLogEntry(logLevel, category, formatter(state, exception), exception));
            }
        }
    }
}
