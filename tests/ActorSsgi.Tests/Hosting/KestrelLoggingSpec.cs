using System.Net;
using ActorSsgi.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ActorSsgi.Tests.Hosting;

/// <summary>
/// Kestrel opens a logging scope around every connection when its logger is enabled; the scope is an AsyncLocal
/// that every await on the connection then carries. ActorSsgi's Kestrel gets the host's loggers without scopes.
/// </summary>
public sealed class KestrelLoggingSpec
{
    [Fact]
    public async Task A_request_must_run_without_kestrels_connection_scope_while_kestrels_logs_still_arrive()
    {
        var provider = new ScopeRecordingProvider();
        using var loggerFactory = LoggerFactory.Create(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(provider));

        // Control: a Kestrel given the host's factory as it is serves requests inside its connection scope, so the
        // check below can see a scope when there is one.
        var plain = new KestrelServer(
            Options.Create(new KestrelServerOptions()),
            new SocketTransportFactory(Options.Create(new SocketTransportOptions()), loggerFactory),
            loggerFactory);
        plain.Options.Listen(IPAddress.Loopback, 0);
        Assert.NotEmpty(await ScopesSeenByARequestAsync(plain, provider));

        var options = new ActorSsgiOptions();
        var services = new ServiceCollection().BuildServiceProvider();
        using var transport = KestrelTransport.Create(services, loggerFactory);
        var ssgi = KestrelFactory.Create(options, "http://127.0.0.1:0", services, loggerFactory, _ => transport);
        provider.Categories.Clear();
        Assert.Empty(await ScopesSeenByARequestAsync(ssgi, provider));
        Assert.Contains(provider.Categories, c => c.StartsWith("Microsoft.AspNetCore.Server.Kestrel", StringComparison.Ordinal));
    }

    private static async Task<List<object?>> ScopesSeenByARequestAsync(KestrelServer server, ScopeRecordingProvider provider)
    {
        var application = new ScopeProbe(provider);
        await server.StartAsync(application, CancellationToken.None);
        try
        {
            var address = server.Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            using var client = new HttpClient();
            var response = await client.GetAsync(address + "/");
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
            return application.Seen ?? throw new InvalidOperationException("The request never reached the application.");
        }
        finally
        {
            await server.StopAsync(CancellationToken.None);
            server.Dispose();
        }
    }

    /// <summary>Answers 204 and records the logging scopes active while it runs.</summary>
    private sealed class ScopeProbe(ScopeRecordingProvider provider) : IHttpApplication<IFeatureCollection>
    {
        public List<object?>? Seen { get; private set; }

        public IFeatureCollection CreateContext(IFeatureCollection contextFeatures) => contextFeatures;

        public Task ProcessRequestAsync(IFeatureCollection context)
        {
            var seen = new List<object?>();
            provider.Scopes?.ForEachScope(static (scope, list) => list.Add(scope), seen);
            Seen = seen;
            context.Get<IHttpResponseFeature>()!.StatusCode = 204;
            return Task.CompletedTask;
        }

        public void DisposeContext(IFeatureCollection context, Exception? exception)
        {
        }
    }

    /// <summary>A provider that takes the factory's scopes, as the console logger does, and notes who logs.</summary>
    private sealed class ScopeRecordingProvider : ILoggerProvider, ISupportExternalScope
    {
        public IExternalScopeProvider? Scopes { get; private set; }

        public System.Collections.Concurrent.ConcurrentBag<string> Categories { get; } = [];

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => Scopes = scopeProvider;

        public ILogger CreateLogger(string categoryName) => new Recorder(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Recorder(ScopeRecordingProvider owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => owner.Scopes?.Push(state);

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                owner.Categories.Add(category);
        }
    }
}
