using System.Collections.Concurrent;
using System.Net;
using ActorSsgi.Demo;
using ActorSsgi.Hosting;
using Akka.Actor;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ActorSsgi.FunctionalTests.WebSockets;

/// <summary>
/// The demo application in-process on a port the OS picks, for the WebSocket tests: like the demo's Program.cs,
/// plus access to its services (the actor system) and a record of the warnings and errors the server logged.
/// </summary>
public sealed class WsServer : IAsyncDisposable
{
    private readonly IHost _host;
    private int _stopped;

    private WsServer(IHost host, IReadOnlyList<Uri> addresses, WsLogSink log)
    {
        _host = host;
        Addresses = addresses;
        Log = log;
    }

    /// <summary>Every bound address, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public IReadOnlyList<Uri> Addresses { get; }

    /// <summary>The first bound address.</summary>
    public Uri BaseAddress => Addresses[0];

    /// <summary>The first bound address as an endpoint, for raw sockets.</summary>
    public IPEndPoint EndPoint => new(IPAddress.Parse(BaseAddress.Host.Trim('[', ']')), BaseAddress.Port);

    /// <summary>Warnings and errors the server logged.</summary>
    public WsLogSink Log { get; }

    public IServiceProvider Services => _host.Services;

    public ActorSystem ActorSystem => _host.Services.GetRequiredService<ActorSystem>();

    /// <summary>Starts the demo on <c>http://127.0.0.1:0</c> with extra <c>Key=Value</c> settings (no leading dashes).</summary>
    public static Task<WsServer> StartAsync(params string[] settings) => StartAsync(["--urls", "http://127.0.0.1:0"], settings);

    /// <summary>Starts the demo with the given raw arguments plus <c>Key=Value</c> settings.</summary>
    public static async Task<WsServer> StartAsync(string[] args, string[] settings)
    {
        var all = new List<string> { "--Logging:LogLevel:Default=Warning" };
        all.AddRange(args);
        all.AddRange(settings.Select(s => "--" + s));
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = all.ToArray(),
            ContentRootPath = AppContext.BaseDirectory,
        });
        var log = new WsLogSink();
        builder.Logging.AddProvider(log);
        builder.Services.AddActorSsgi<DemoFramework>(builder.Configuration);
        var host = builder.Build();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await host.StartAsync(timeout.Token);
        var bound = await host.Services.GetRequiredService<SsgiServerAddresses>().Bound.WaitAsync(timeout.Token);
        return new WsServer(host, bound.Select(a => new Uri(a)).ToArray(), log);
    }

    /// <summary>The ws:// URI of <paramref name="pathAndQuery"/> on <paramref name="address"/> (default: the first address).</summary>
    public Uri Ws(string pathAndQuery, Uri? address = null)
    {
        var http = address ?? BaseAddress;
        return new Uri($"ws://{http.Authority}{pathAndQuery}");
    }

    /// <summary>Stops the host (the graceful shutdown path: sessions are closed with 1001).</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 0)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _host.StopAsync(timeout.Token);
        }
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
}

/// <summary>One default demo server per test class.</summary>
public sealed class WsServerFixture : IAsyncLifetime
{
    private WsServer? _server;

    public WsServer Server => _server ?? throw new InvalidOperationException("The server has not started.");

    public async Task InitializeAsync() => _server = await WsServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

/// <summary>Tests that measure time or memory, or stop their server: they run alone, after the parallel ones.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class WsSerialCollection
{
    public const string Name = "websockets, serial";
}

/// <summary>Keeps the warnings and errors (with exceptions) that the server logs.</summary>
public sealed class WsLogSink : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _entries = new();

    public IReadOnlyCollection<string> Entries => _entries.ToArray();

    public IReadOnlyList<string> Errors => _entries.Where(e => e.StartsWith("Error", StringComparison.Ordinal) || e.StartsWith("Critical", StringComparison.Ordinal)).ToArray();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(WsLogSink sink, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                sink._entries.Enqueue($"{logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : " " + exception)}");
            }
        }
    }
}
