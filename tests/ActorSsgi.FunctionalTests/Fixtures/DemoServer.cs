using System.Net;
using ActorSsgi.Demo;
using ActorSsgi.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ActorSsgi.FunctionalTests.Fixtures;

/// <summary>
/// The demo application hosted in-process exactly as its Program.cs does, on a port the OS picks (port 0), so
/// tests never collide with each other or with anything else on the box.
/// </summary>
public sealed class DemoServer : IAsyncDisposable
{
    private readonly IHost _host;

    private DemoServer(IHost host, IReadOnlyList<Uri> addresses)
    {
        _host = host;
        Addresses = addresses;
    }

    /// <summary>Every bound address, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public IReadOnlyList<Uri> Addresses { get; }

    /// <summary>The host's services (its IMeterFactory, for metrics tests).</summary>
    public IServiceProvider Services => _host.Services;

    /// <summary>The first bound address.</summary>
    public Uri BaseAddress => Addresses[0];

    /// <summary>The first bound address as an endpoint, for raw sockets.</summary>
    public IPEndPoint EndPoint => EndPointOf(BaseAddress);

    /// <summary>Starts the demo with <c>--urls http://127.0.0.1:0</c> and the given <c>Key=Value</c> settings.</summary>
    public static Task<DemoServer> StartAsync(params string[] settings) => StartWithUrlsAsync("http://127.0.0.1:0", settings);

    /// <summary>
    /// Starts the demo. <paramref name="urls"/> goes to <c>--urls</c>; <c>null</c> means none, so only
    /// <c>ActorSsgi:Endpoints</c> from <paramref name="settings"/> are bound (ActorSsgi:Urls is emptied).
    /// </summary>
    public static async Task<DemoServer> StartWithUrlsAsync(string? urls, params string[] settings)
    {
        var args = new List<string> { "--Logging:LogLevel:Default=Warning" };
        args.AddRange(urls is null ? ["--ActorSsgi:Urls="] : ["--urls", urls]);
        args.AddRange(settings.Select(s => "--" + s));
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = args.ToArray(),
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Services.AddActorSsgi<DemoFramework>(builder.Configuration);
        var host = builder.Build();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await host.StartAsync(timeout.Token);
        var bound = await host.Services.GetRequiredService<SsgiServerAddresses>().Bound.WaitAsync(timeout.Token);
        return new DemoServer(host, bound.Select(a => new Uri(a)).ToArray());
    }

    /// <summary>An HTTP/1.1 client for <see cref="BaseAddress"/>.</summary>
    public HttpClient CreateClient() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>Opens a raw TCP connection to <see cref="BaseAddress"/>.</summary>
    public Task<RawHttpConnection> ConnectAsync() => RawHttpConnection.ConnectAsync(EndPoint);

    public static IPEndPoint EndPointOf(Uri address) => new(IPAddress.Parse(address.Host.Trim('[', ']')), address.Port);

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
