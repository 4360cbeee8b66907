using System.Collections.Concurrent;
using System.Diagnostics;
using ActorSsgi.Hosting;
using Akka.Actor;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ActorSsgi.FunctionalTests.Operating;

/// <summary>
/// A real ActorSsgi server in-process on a port the OS picks, for the tracing, access log and health specs: its
/// application records every path it sees and the <see cref="Activity.Current"/> its handler ran under, and every
/// log entry of the categories asked for is captured.
/// </summary>
public sealed class OperatingServer : IAsyncDisposable
{
    private readonly IHost _host;
    private int _stopped;

    private OperatingServer(IHost host, Uri address, OperatingFramework framework, CapturingLoggerProvider log)
    {
        _host = host;
        BaseAddress = address;
        Framework = framework;
        Log = log;
    }

    public Uri BaseAddress { get; }

    internal OperatingFramework Framework { get; }

    public CapturingLoggerProvider Log { get; }

    public ActorSystem ActorSystem => _host.Services.GetRequiredService<ActorSystem>();

    public Uri Ws(string pathAndQuery) => new($"ws://{BaseAddress.Authority}{pathAndQuery}");

    public HttpClient CreateClient() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>Starts the server with <c>Key=Value</c> settings (no leading dashes).</summary>
    public static async Task<OperatingServer> StartAsync(params string[] settings)
    {
        var framework = new OperatingFramework();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = ["--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:ActorSsgi.AccessLog=Information", "--urls", "http://127.0.0.1:0", .. settings.Select(s => "--" + s)],
            ContentRootPath = AppContext.BaseDirectory,
        });
        var log = new CapturingLoggerProvider();
        builder.Logging.AddProvider(log);
        builder.Services.AddActorSsgi(builder.Configuration, framework);
        var host = builder.Build();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await host.StartAsync(timeout.Token);
        var bound = await host.Services.GetRequiredService<SsgiServerAddresses>().Bound.WaitAsync(timeout.Token);
        return new OperatingServer(host, new Uri(bound[0]), framework, log);
    }

    /// <summary>Stops the host: every request has ended (and been logged) once this returns.</summary>
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
        await StopAsync();
        _host.Dispose();
    }
}

/// <summary>What the handler saw: the path, and the current activity's ids (null when there was none).</summary>
public sealed record HandlerView(string Path, string? TraceId, string? SpanId, string? SpanIdAfterAwait);

/// <summary>
/// <c>/crash</c> throws, <c>/async</c> answers after an await, anything else answers <c>hello</c>; WebSockets echo.
/// </summary>
internal sealed class OperatingFramework : ISsgiFramework
{
    public ConcurrentQueue<HandlerView> Seen { get; } = new();

    public SsgiSupported GetSupported(IReadOnlyDictionary<string, string> offered) => new(
        Http: SsgiInterfaces.Bind<ISsgiHttpResponse>(Http),
        WebSockets: SsgiInterfaces.Bind<ISsgiWebSocket>(Echo));

    private ValueTask Http(SsgiType type, string server, string remote, string method, string path, string query, ISsgiHeaders headers, ISsgiHttpResponse res)
    {
        var current = Activity.Current;
        if (path == "/crash")
        {
            Seen.Enqueue(new HandlerView(path, current?.TraceId.ToString(), current?.SpanId.ToString(), null));
            throw new InvalidOperationException("crash on purpose");
        }

        if (path == "/async")
        {
            return AnswerLaterAsync(path, current, res);
        }

        Seen.Enqueue(new HandlerView(path, current?.TraceId.ToString(), current?.SpanId.ToString(), null));
        res.SendHeaders(("content-type", "text/plain"));
        res.Send("hello");
        return default;
    }

    private async ValueTask AnswerLaterAsync(string path, Activity? current, ISsgiHttpResponse res)
    {
        await Task.Yield();
        Seen.Enqueue(new HandlerView(path, current?.TraceId.ToString(), current?.SpanId.ToString(), Activity.Current?.SpanId.ToString()));
        res.SendHeaders(("content-type", "text/plain"));
        res.Send("later");
    }

    private static ValueTask Echo(SsgiType type, string server, string remote, string method, string path, string query, ISsgiHeaders headers, ISsgiWebSocket ws)
    {
        ws.OnReceive((socket, message) => _ = message.IsText ? socket.Send(message.Text) : socket.Send(message.Data));
        return ws.Accept();
    }
}

/// <summary>One captured log entry with its structured fields.</summary>
public sealed record CapturedEntry(string Category, LogLevel Level, EventId EventId, string Message, IReadOnlyDictionary<string, object?> Fields);

/// <summary>Captures every entry, with the structured state a source-generated logger method passes.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<CapturedEntry> _entries = new();

    public IReadOnlyList<CapturedEntry> Entries => _entries.ToArray();

    public IReadOnlyList<CapturedEntry> Of(string category) => _entries.Where(e => e.Category == category).ToArray();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var fields = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? pairs.ToDictionary(p => p.Key, p => p.Value)
                : new Dictionary<string, object?>();
            owner._entries.Enqueue(new CapturedEntry(category, logLevel, eventId, formatter(state, exception), fields));
        }
    }
}
