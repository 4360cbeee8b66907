using ActorSsgi.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace ActorSsgi.AspNetCore.Tests;

/// <summary>A started ASP.NET Core application on ActorSsgi, on a port the OS picked.</summary>
public sealed class WebApp : IAsyncDisposable
{
    private WebApp(WebApplication app, Uri address)
    {
        App = app;
        BaseAddress = address;
    }

    public WebApplication App { get; }

    public Uri BaseAddress { get; }

    /// <summary>The <c>ws://</c> form of <paramref name="path"/>.</summary>
    public Uri WebSocket(string path) => new($"ws://{BaseAddress.Authority}{path}");

    /// <summary>The arguments every test app starts with: port 0, quiet logs.</summary>
    public static string[] Args(params string[] extra) =>
        ["--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning", .. extra];

    /// <summary>Starts <paramref name="app"/> and waits for its bound address.</summary>
    public static async Task<WebApp> StartAsync(WebApplication app)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await app.StartAsync(timeout.Token);
        var bound = await app.Services.GetRequiredService<SsgiServerAddresses>().Bound.WaitAsync(timeout.Token);
        return new WebApp(app, new Uri(bound[0]));
    }

    public HttpClient CreateClient() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await App.StopAsync(timeout.Token);
        await App.DisposeAsync();
    }
}

/// <summary>The sample application, started once for the classes that share it.</summary>
public sealed class SampleFixture : IAsyncLifetime
{
    private WebApp? _app;

    public WebApp App => _app ?? throw new InvalidOperationException("The sample has not started.");

    public async Task InitializeAsync() => _app = await WebApp.StartAsync(Samples.AspNetCore.SampleApp.Build(WebApp.Args()));

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
